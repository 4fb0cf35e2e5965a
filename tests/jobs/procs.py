"""Real Celery worker and beat processes sharing the test database and broker."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

from tests.core.procs import ROOT, clean_env, wait_for


def database_url() -> str:
    from django.db import connection

    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{s['NAME']}"
    auth = f"{s['USER']}:{s['PASSWORD']}@" if s.get("USER") else ""
    return f"postgres://{auth}{s.get('HOST') or 'localhost'}:{s.get('PORT') or 5432}/{s['NAME']}"


def env(**extra) -> dict:
    from django.conf import settings

    values = dict(DATABASE_URL=database_url(), APP_MASTER_KEY=os.environ["APP_MASTER_KEY"],
                  DJANGO_SETTINGS_MODULE="tests.jobs.worker_settings", **extra)
    if settings.REDIS_URL:
        values.setdefault("REDIS_URL", settings.REDIS_URL)
    return clean_env(Path(settings.DATA_DIR), **values)


def _spawn(args: list[str], log: Path, extra: dict) -> subprocess.Popen:
    handle = open(log, "w")  # noqa: SIM115 - closed with the process
    proc = subprocess.Popen([sys.executable, "-m", "celery", "-A", "immaculaterr", *args],
                            cwd=ROOT, env=env(**extra), stdout=handle, stderr=subprocess.STDOUT,
                            start_new_session=True)
    proc.log_path = log
    return proc


def start_worker(name: str, log_dir: Path, **extra: str) -> subprocess.Popen:
    """A solo-pool worker; `extra` adds environment (e.g. TMDB_BASE_URL of a double)."""
    from immaculaterr.models import Heartbeat

    before = Heartbeat.objects.filter(name="worker").values_list("seen_at", flat=True).first()
    proc = _spawn(["worker", "--pool=solo", "--without-mingle", "--without-gossip",
                   "--loglevel=INFO", f"--hostname={name}@%h"], log_dir / f"{name}.log", extra)

    def ready():
        seen = Heartbeat.objects.filter(name="worker").values_list("seen_at", flat=True).first()
        return seen is not None and seen != before and f"pid {proc.pid}" in (
            Heartbeat.objects.get(name="worker").detail)

    assert wait_for(ready, timeout=40, every=0.2), tail(proc)
    return proc


def start_beat(log_dir: Path, **extra: str) -> subprocess.Popen:
    return _spawn(["beat", "--loglevel=INFO", f"--schedule={log_dir / 'beat-schedule'}",
                   "--scheduler=django_celery_beat.schedulers:DatabaseScheduler"],
                  log_dir / "beat.log", extra)


def tail(proc) -> str:
    try:
        return Path(proc.log_path).read_text()[-3000:]
    except OSError:
        return ""


def stop(proc: subprocess.Popen, sig=signal.SIGTERM) -> None:
    if _signal(proc, sig):
        _wait(proc)


def stop_all(started: list[subprocess.Popen], sig=signal.SIGTERM) -> None:
    """Signals every process first, then waits for each: a worker's warm shutdown takes
    seconds (its broker poll ends, then the interpreter exits), so one after another they
    added up."""
    for proc in [p for p in started if _signal(p, sig)]:
        _wait(proc)


def _signal(proc: subprocess.Popen, sig) -> bool:
    if proc.poll() is not None:
        return False
    try:
        os.killpg(proc.pid, sig)
    except ProcessLookupError:  # exited meanwhile
        return False
    return True


def _wait(proc: subprocess.Popen) -> None:
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=5)


@contextmanager
def processes():
    """Collects started processes and stops them all at the end (stop_all)."""
    started: list[subprocess.Popen] = []
    try:
        yield started
    finally:
        stop_all(started)


def wait_status(run_id: int, statuses: tuple[str, ...], timeout: float):
    from jobs.models import JobRun

    def probe():
        run = JobRun.objects.get(pk=run_id)
        return run if run.status in statuses else None

    started = time.monotonic()
    return wait_for(probe, timeout=timeout, every=0.2), time.monotonic() - started
