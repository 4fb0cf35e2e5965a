"""The row sweep of tests/bench/bench_sweep.py on one real worker, then on three, on Redis +
PostgreSQL (the engine users run more workers on).

    REDIS_URL=redis://… DATABASE_URL=postgres://… python -m tests.bench --only sweep_workers

The rows are built once first (in this process), so both timed sweeps find the same rows
with nothing to change; each dispatches the three standalone row jobs at once and waits for
all three. The Plex double runs in this process.

Figures:
  sweep_seconds_1_worker    the three jobs on one worker
  sweep_seconds_3_workers   the same on three workers
  sweep_workers_speedup     1 worker ÷ 3 workers (target >= 2; see the note)
  sweep_workers_note        how it was run, or why it was skipped (no PostgreSQL or Redis)
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

from tests.bench import benchmark


def _timed_sweep(workers: int, scale, log_dir: Path) -> float:
    from jobs.dispatch import dispatch
    from jobs.models import JobRun
    from tests.bench.bench_sweep import JOBS
    from tests.core.procs import wait_for
    from tests.jobs import procs

    with procs.processes() as started:
        for n in range(workers):
            started.append(procs.start_worker(f"sweep{workers}-{n}", log_dir,
                                              PLEX_TV_URL=scale.plextv.url))
        began = time.perf_counter()
        runs = [dispatch(job, trigger="manual").pk for job in JOBS]
        done = wait_for(lambda: not JobRun.objects.filter(
            pk__in=runs, status__in=("queued", "running")).exists(), timeout=1800, every=0.2)
        seconds = time.perf_counter() - began
        assert done, procs.tail(started[0])
        statuses = set(JobRun.objects.filter(pk__in=runs).values_list("status", flat=True))
        assert statuses == {"succeeded"}, (statuses, procs.tail(started[0]))
    return seconds


@benchmark("sweep_workers")
def run(small: bool) -> dict:
    from django.db import connection

    from tests.bench.bench_sweep import sweep
    from tests.fakes.scale import build_scale

    if connection.vendor != "postgresql" or not os.environ.get("REDIS_URL"):
        return {"sweep_workers_note": "skipped: needs DATABASE_URL (PostgreSQL) and REDIS_URL "
                                      f"(this run: {connection.vendor}, REDIS_URL "
                                      f"{'set' if os.environ.get('REDIS_URL') else 'unset'})"}
    scale = build_scale(small=small)
    log_dir = Path(tempfile.mkdtemp(prefix="immaculaterr-bench-workers-"))
    try:
        sweep(scale)  # build every row once, so both timed sweeps do the same (no-change) work
        one = _timed_sweep(1, scale, log_dir)
        three = _timed_sweep(3, scale, log_dir)
    finally:
        scale.stop()
    return {"sweep_seconds_1_worker": round(one, 1), "sweep_seconds_3_workers": round(three, 1),
            "sweep_workers_speedup": round(one / three, 2),
            "sweep_workers_note": f"PostgreSQL + Redis, {scale.pairs} viewer x library pairs, "
                                  "3 standalone row jobs; solo-pool workers on a 2-core machine, "
                                  "Plex double in the bench process"}
