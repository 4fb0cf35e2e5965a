"""A real worker indexing the scale fixture's server and sweeping its rows, while the web
serves 20 concurrent page loads from the same SQLite file.

    python -m tests.bench --only scale_worker

The worker is a real Celery worker process (tests/jobs/procs.py, solo pool) on the database
and broker this bench runs on (the embedded defaults: SQLite and the filesystem broker, unless
DATABASE_URL / REDIS_URL are set). It runs a full index of both libraries (the mirror is
marked unindexed first) and the sweep of tests/bench/bench_sweep.py (three standalone jobs,
every viewer × library × 4 rows). Meanwhile 20 threads load pages (dashboard, Rewind, Task
Manager) through Django's test client, each with its own database connection.

Figures:
  worker_peak_rss_mb         the worker's VmHWM (/proc/<pid>/status) after index + sweep
                             (target <= 300)
  sqlite_busy_errors         page loads that failed with "database is locked" (target 0)
  sqlite_pages_p95_ms        the page loads' 95th percentile
  scale_worker_database      which database the figures were measured on
"""

from __future__ import annotations

import statistics
import tempfile
import threading
import time
from pathlib import Path

from tests.bench import benchmark

PAGES = ("/", "/rewind", "/tasks")
CLIENTS, SMALL_CLIENTS = 20, 3


def _peak_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def _load_pages(user, stop: threading.Event, took: list, busy: list, other: list) -> None:
    from django.db import OperationalError, connection
    from django.test import Client

    client = Client()
    client.force_login(user)
    try:
        while not stop.is_set():
            for page in PAGES:
                started = time.perf_counter()
                try:
                    answer = client.get(page)
                except OperationalError as exc:
                    (busy if "locked" in str(exc) or "busy" in str(exc) else other).append(exc)
                    continue
                took.append((time.perf_counter() - started) * 1000)
                if answer.status_code != 200:
                    other.append(answer.status_code)
    finally:
        connection.close()


@benchmark("scale_worker")
def run(small: bool) -> dict:
    from django.contrib.auth import get_user_model
    from django.db import connection

    from jobs.dispatch import dispatch
    from jobs.models import JobRun
    from tests.bench.bench_sweep import JOBS
    from tests.core.procs import wait_for
    from tests.fakes.scale import build_scale
    from tests.jobs import procs
    from vault.models import PlexLibrary

    scale = build_scale(small=small)
    users = get_user_model()
    user = users.objects.filter(username="bench").first() or users.objects.create_superuser(
        "bench", "bench@example.com", "bench-password-123")
    PlexLibrary.objects.update(indexed_at=None)  # the worker indexes both libraries in full
    log_dir = Path(tempfile.mkdtemp(prefix="immaculaterr-bench-worker-"))
    worker = procs.start_worker("scale", log_dir, PLEX_TV_URL=scale.plextv.url)
    clients = SMALL_CLIENTS if small else CLIENTS
    stop, took, busy, other = threading.Event(), [], [], []
    threads = [threading.Thread(target=_load_pages, args=(user, stop, took, busy, other))
               for _ in range(clients)]
    try:
        for t in threads:
            t.start()
        started = time.perf_counter()
        runs = [dispatch(job, trigger="manual").pk for job in JOBS]
        done = wait_for(lambda: not JobRun.objects.filter(
            pk__in=runs, status__in=("queued", "running")).exists(), timeout=1800, every=0.5)
        seconds = time.perf_counter() - started
        peak = _peak_mb(worker.pid)
        assert done, procs.tail(worker)
        outcomes = list(JobRun.objects.filter(pk__in=runs).values_list("job", "status"))
        assert all(s == "succeeded" for _, s in outcomes), (outcomes, procs.tail(worker))
    finally:
        stop.set()
        for t in threads:
            t.join(timeout=30)
        procs.stop(worker)
        scale.stop()
    assert not other, other[:3]
    took.sort()
    return {"worker_peak_rss_mb": peak, "sqlite_busy_errors": len(busy),
            "sqlite_pages_p95_ms": round(took[int(len(took) * 0.95) - 1], 1) if took else 0,
            "sqlite_pages_median_ms": round(statistics.median(took), 1) if took else 0,
            "sqlite_pages_loaded": len(took),
            "scale_worker_index_and_sweep_seconds": round(seconds, 1),
            "scale_worker_database": f"{connection.vendor}, 1 real worker, {clients} page "
                                     "loaders"}
