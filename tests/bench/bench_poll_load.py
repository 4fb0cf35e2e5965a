"""The Plex session poll keeps its period while two long jobs run (issue 9, must-show 5).

Real processes on the embedded defaults (SQLite + kombu's filesystem broker), started with the
very commands `manage.py serve` runs for its worker role(s) and beat: two 'demo_slow' jobs fill
the job worker's two slots while beat asks for a poll every 5 s. The figure is the 95th
percentile of the gaps between the poll requests the Plex double saw during the load.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from immaculaterr.management.commands.serve import die_with_parent
from tests.bench import benchmark

ROOT = Path(__file__).resolve().parents[2]


def _spawn(argv: list[str], log: Path) -> subprocess.Popen:
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="tests.bench.poll_settings")
    env.pop("REDIS_URL", None)  # embedded defaults: the filesystem broker
    # DATABASE_URL stays: runs dispatched here must be the runs the worker claims. The smoke
    # test runs this bench on the embedded defaults (SQLite in APP_DATA_DIR).
    handle = open(log, "w")  # noqa: SIM115 - closed with the process
    # die_with_parent: a bench killed outright (a smoke test's timeout) leaves no worker behind
    return subprocess.Popen(argv, cwd=ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT,
                            start_new_session=True, preexec_fn=die_with_parent)


def _stop(procs: list[subprocess.Popen]) -> None:
    import signal

    for proc in procs:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
    for proc in procs:
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=5)


def _p95(values: list[float]) -> float:
    if len(values) < 2:
        return max(values, default=0.0)
    return statistics.quantiles(values, n=20, method="inclusive")[-1]


@benchmark("poll_load")
def run(small: bool) -> dict[str, float | int]:
    from django.conf import settings

    from immaculaterr.management.commands.serve import child_commands
    from jobs import registry
    from jobs.context import Scope
    from jobs.dispatch import dispatch
    from jobs.models import JobRun, Status
    from tests.fakes.catalog import Catalog
    from tests.fakes.plex.server import PlexServerDouble
    from tests.jobs.factories import connect_plex, libraries, viewers

    if "demo_slow" not in registry.REGISTRY:
        import tests.jobs.demojobs  # noqa: F401 - registers demo_slow here too

    from tests.bench.bench_db_write_wait import _forget

    _forget()  # the benches share one database: start from the empty mirror this one needs
    job_seconds = 14 if small else 40
    plex = PlexServerDouble(Catalog(n_movies=20, n_shows=4)).start()
    viewers(), libraries()
    connect_plex(plex)
    log_dir = Path(settings.DATA_DIR) / "bench-logs"
    log_dir.mkdir(exist_ok=True)
    procs: list[subprocess.Popen] = []
    try:
        for name, argv in child_commands("worker", 0) + child_commands("beat", 0):
            argv = [sys.executable if a == sys.executable else a for a in argv]
            procs.append(_spawn(argv, log_dir / f"{name}.log"))
        polls = lambda: [r.time for r in plex.requests if r.path == "/status/sessions"]  # noqa: E731
        deadline = time.monotonic() + 90
        while len(polls()) < 2 and time.monotonic() < deadline:
            time.sleep(0.2)
        # two scopes, so neither waits for the other's scope lock: both slots are busy
        runs = [dispatch("demo_slow", seed={"seconds": job_seconds},
                         scope=Scope(account, f"viewer {account}", "1", "Movies", "movie"))
                for account in (1, 2)]
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and JobRun.objects.filter(
                pk__in=[r.pk for r in runs], status=Status.RUNNING).count() < 2:
            time.sleep(0.2)
        load_from = time.time()
        deadline = time.monotonic() + job_seconds + 60
        while time.monotonic() < deadline and JobRun.objects.filter(
                pk__in=[r.pk for r in runs], status__in=(Status.QUEUED, Status.RUNNING)).exists():
            time.sleep(0.5)
        load_to = time.time()
        time.sleep(1)
        during = [t for t in polls() if load_from <= t <= load_to]
        # the gap from the last poll before the load to the first one in it counts too
        before = [t for t in polls() if t < load_from][-1:]
        after = [t for t in polls() if t > load_to][:1]
        stamps = before + during + after
        gaps = [b - a for a, b in zip(stamps, stamps[1:], strict=False)]
        if not during:  # not one poll while the jobs ran: the whole load was one gap
            gaps.append(load_to - (before[0] if before else load_from))
        both_ran = JobRun.objects.filter(pk__in=[r.pk for r in runs],
                                         status=Status.SUCCEEDED).count()
    finally:
        _stop(procs)
        plex.stop()
        _forget()
    return {"poll_period_p95_s_under_load": round(_p95(gaps), 2),
            "poll_load_max_gap_s": round(max(gaps, default=0.0), 2),
            "poll_load_polls": len(during),
            "poll_load_load_s": round(load_to - load_from, 1),
            "poll_load_jobs_succeeded": both_ran}
