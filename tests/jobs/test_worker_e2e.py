"""The machinery on real Celery processes (SQLite file + the broker the settings chose)."""

from __future__ import annotations

import signal
import time

import pytest

from jobs.context import Scope
from jobs.dispatch import dispatch
from jobs.models import JobRun, ScopeLock
from tests.jobs import procs

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]
BEA = Scope(2, "Bea", "1", "Movies", "movie")


def use_short_sweeps(seconds: int) -> None:
    from django_celery_beat.models import IntervalSchedule, PeriodicTask

    every, _ = IntervalSchedule.objects.get_or_create(every=seconds,
                                                      period=IntervalSchedule.SECONDS)
    PeriodicTask.objects.filter(name="immaculaterr.jobs.sweep").update(interval=every)
    PeriodicTask.objects.exclude(name="immaculaterr.jobs.sweep").update(enabled=False)


def test_worker_killed_mid_run_is_interrupted_lock_freed_next_run_succeeds(tmp_path, demo_jobs):
    use_short_sweeps(3)
    with procs.processes() as started:
        first = procs.start_worker("first", tmp_path)
        started.append(first)
        run = dispatch("demo_slow", scope=BEA, seed={"seconds": 60})
        running, _ = procs.wait_status(run.pk, ("running",), timeout=20)
        assert running, procs.tail(first)
        assert ScopeLock.objects.filter(run=run).exists()
        started.append(procs.start_worker("second", tmp_path))
        started.append(procs.start_beat(tmp_path))

        procs.stop(first, signal.SIGKILL)
        killed_at = time.monotonic()
        interrupted, _ = procs.wait_status(run.pk, ("interrupted",), timeout=30)
        took = time.monotonic() - killed_at
        after = dispatch("demo_slow", scope=BEA, seed={"seconds": 1})
        finished, _ = procs.wait_status(after.pk, ("succeeded", "failed"), timeout=30)

    assert interrupted and interrupted.reason_code == "worker_lost", procs.tail(started[1])
    assert took <= 2 * 3 + 2  # two sweeper periods (+ beat's first tick)
    assert not ScopeLock.objects.filter(run=run).exists()
    assert finished and finished.status == "succeeded"
    assert JobRun.objects.get(pk=run.pk).status == "interrupted"
