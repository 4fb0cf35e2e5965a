"""A real worker indexing the scale fixture's server and sweeping its rows, while the real web
server serves 20 concurrent page loads from the same SQLite file.

    python -m tests.bench --only scale_worker

The worker is a real Celery worker process (tests/jobs/procs.py, solo pool) on the database
and broker this bench runs on (the embedded defaults: SQLite and the filesystem broker, unless
DATABASE_URL / REDIS_URL are set). It runs a full index of both libraries (the mirror is
marked unindexed first) and the sweep of tests/bench/bench_sweep.py (three standalone jobs,
every viewer × library × 4 rows). Meanwhile the web server runs as `manage.py serve` starts it
(granian, serve.web_command, one process of its own on the same database), and a separate
load-generator process (tests/bench/page_loads.py) loads pages (dashboard, Rewind, Task
Manager) from 20 threads, each signed in with its own session and keeping its connection open.
Neither the web server nor the loaders share a GIL with this process, which runs the Plex
double (before, the loaders were threads in here and measured this process's GIL).

Figures:
  worker_peak_rss_mb         the worker's VmHWM (/proc/<pid>/status) after index + sweep
                             (target <= 300)
  sqlite_busy_errors         page loads that failed with "database is locked" (the web
                             server's log of each 500) (target 0)
  sqlite_pages_p95_ms        the page loads' 95th percentile (request sent to body read)
  sqlite_pages_median_ms     and their median
  scale_worker_database      which database the figures were measured on
"""

from __future__ import annotations

import json
import re
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from tests.bench import benchmark

PAGES = ("/", "/rewind", "/tasks")
CLIENTS, SMALL_CLIENTS = 20, 3
_RECORD = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ ", re.MULTILINE)


def _peak_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def busy_errors(log: str) -> int:
    """Server errors in a web log whose traceback says SQLite was locked or busy."""
    starts = [m.start() for m in _RECORD.finditer(log)]
    records = [log[a:b] for a, b in zip(starts, [*starts[1:], len(log)], strict=False)]
    return sum(1 for r in records if "Internal Server Error" in r.split("\n", 1)[0]
               and ("database is locked" in r or "database is busy" in r))


def _start_web(log_dir: Path, port: int) -> subprocess.Popen:
    """The web server as serve starts it, on loopback, in its own process."""
    from immaculaterr.management.commands.serve import web_command
    from tests.core.procs import ROOT
    from tests.jobs import procs

    argv = web_command(port)
    argv[argv.index("--host") + 1] = "127.0.0.1"
    env = procs.env()
    env["DJANGO_SETTINGS_MODULE"] = "tests.settings"
    handle = open(log_dir / "web.log", "w")  # noqa: SIM115 - closed with the process
    proc = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT,
                            start_new_session=True)
    proc.log_path = log_dir / "web.log"
    return proc


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5) as resp:
            return resp.status == 200
    except OSError:
        return False


def _sessions(user, n: int) -> tuple[str, list[str]]:
    """n signed-in sessions of `user` in the database the web server reads."""
    from django.conf import settings
    from django.test import Client

    found = []
    for _ in range(n):
        client = Client()
        client.force_login(user)
        found.append(client.cookies[settings.SESSION_COOKIE_NAME].value)
    return settings.SESSION_COOKIE_NAME, found


def _start_loader(url: str, clients: int, cookie: str, sessions: list[str]):
    from tests.core.procs import ROOT

    proc = subprocess.Popen([sys.executable, "-m", "tests.bench.page_loads", url, str(clients),
                             *PAGES], cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            text=True)
    proc.stdin.write(json.dumps({"cookie": cookie, "sessions": sessions}) + "\n")
    proc.stdin.flush()
    assert proc.stdout.readline().strip() == "ready"
    return proc


def _stop_loader(proc) -> dict:
    out, _ = proc.communicate("stop\n", timeout=300)
    return json.loads(out.strip().splitlines()[-1])


@benchmark("scale_worker")
def run(small: bool) -> dict:
    from django.contrib.auth import get_user_model
    from django.db import connection

    from jobs.dispatch import dispatch
    from jobs.models import JobRun
    from tests.bench.bench_sweep import JOBS
    from tests.core.procs import free_port, wait_for
    from tests.fakes.scale import build_scale
    from tests.jobs import procs
    from vault.models import PlexLibrary

    scale = build_scale(small=small)
    users = get_user_model()
    user = users.objects.filter(username="bench").first() or users.objects.create_superuser(
        "bench", "bench@example.com", "bench-password-123")
    PlexLibrary.objects.update(indexed_at=None)  # the worker indexes both libraries in full
    clients = SMALL_CLIENTS if small else CLIENTS
    cookie, sessions = _sessions(user, clients)
    log_dir = Path(tempfile.mkdtemp(prefix="immaculaterr-bench-worker-"))
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    web = _start_web(log_dir, port)
    worker = loader = None
    try:
        assert wait_for(lambda: _answers(f"{url}/login"), timeout=60), procs.tail(web)
        worker = procs.start_worker("scale", log_dir, PLEX_TV_URL=scale.plextv.url)
        loader = _start_loader(url, clients, cookie, sessions)
        started = time.perf_counter()
        runs = [dispatch(job, trigger="manual").pk for job in JOBS]
        done = wait_for(lambda: not JobRun.objects.filter(
            pk__in=runs, status__in=("queued", "running")).exists(), timeout=1800, every=0.5)
        seconds = time.perf_counter() - started
        peak = _peak_mb(worker.pid)
        loads, loader = _stop_loader(loader), None
        assert done, procs.tail(worker)
        outcomes = list(JobRun.objects.filter(pk__in=runs).values_list("job", "status"))
        assert all(s == "succeeded" for _, s in outcomes), (outcomes, procs.tail(worker))
    finally:
        if loader is not None:
            loader.kill()
            loader.wait()
        if worker is not None:
            procs.stop(worker)
        procs.stop(web)
        scale.stop()
    busy = busy_errors(Path(web.log_path).read_text())
    failed = sum(n for status, n in loads["statuses"].items() if status != "200")
    assert failed == busy and not loads["error_count"], (loads["statuses"], loads["errors"],
                                                         procs.tail(web))
    took = sorted(loads["took_ms"])
    return {"worker_peak_rss_mb": peak, "sqlite_busy_errors": busy,
            "sqlite_pages_p95_ms": round(took[int(len(took) * 0.95) - 1], 1) if took else 0,
            "sqlite_pages_median_ms": round(statistics.median(took), 1) if took else 0,
            "sqlite_pages_loaded": len(took),
            "scale_worker_index_and_sweep_seconds": round(seconds, 1),
            "scale_worker_database": f"{connection.vendor}, 1 real worker, the web server "
                                     f"(granian) in its own process, {clients} page loaders "
                                     "in another"}
