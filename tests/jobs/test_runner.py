"""The run machinery with tiny demo jobs, in-process."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from jobs import locks, runner
from jobs.context import Scope
from jobs.dispatch import dispatch
from jobs.maintenance import prune, sweep
from jobs.models import JobRun, LogLine, ProcessedItem, ScopeLock, Status, Trigger

pytestmark = pytest.mark.django_db
ALICE = Scope(2, "Bea", "1", "Movies", "movie")


def test_execute_demo_job_succeeds_with_report_and_lines(demo_jobs):
    run = dispatch("demo_ok", enqueue_now=False)

    outcome = runner.execute(run.pk, sync=True)

    run.refresh_from_db()
    assert (outcome.status, run.status, run.current, run.total) == ("succeeded",) * 2 + (3, 3)
    assert [s["name"] for s in run.report["steps"]] == ["count"]
    assert run.report["steps"][0]["counts"] == {"items": 3}
    assert run.report["summary"] == "Counted to three."
    assert run.started_at <= run.finished_at
    assert "counted" in list(run.lines.values_list("message", flat=True))


def test_execute_skipping_job_records_reason(demo_jobs):
    run = dispatch("demo_skip", enqueue_now=False)

    runner.execute(run.pk, sync=True)

    run.refresh_from_db()
    assert (run.status, run.reason_code) == ("skipped", "library_excluded")
    assert run.reason == "The seed's library is excluded in Plex Library Selection."


def test_execute_run_claimed_once(demo_jobs):
    run = dispatch("demo_ok", enqueue_now=False)
    runner.execute(run.pk, sync=True)

    again = runner.execute(run.pk, sync=True)

    assert again.status == "succeeded"
    assert JobRun.objects.get(pk=run.pk).attempts == 1


def test_execute_busy_scope_requeues_then_gives_up(demo_jobs, settings):
    settings.JOBS_LOCK_MAX_WAITS = 1
    run = dispatch("demo_ok", scope=ALICE, enqueue_now=False)
    other = dispatch("demo_ok", scope=ALICE, enqueue_now=False)
    token = locks.acquire(locks.scope_key("demo_ok", 2, "1"), other)

    first = runner.execute(run.pk)
    second = runner.execute(run.pk)

    run.refresh_from_db()
    assert token and first.retry_in == 5 and second.retry_in is None
    assert (run.status, run.reason_code, run.lock_waits) == ("skipped", "scope_busy", 1)


def test_lock_of_finished_run_is_taken_over(demo_jobs):
    dead = dispatch("demo_ok", scope=ALICE, enqueue_now=False)
    key = locks.scope_key("demo_ok", 2, "1")
    locks.acquire(key, dead)
    JobRun.objects.filter(pk=dead.pk).update(status=Status.FAILED)

    token = locks.acquire(key)

    assert token and ScopeLock.objects.get(key=key).owner == token


def test_transient_error_requeues_with_backoff_then_fails(demo_jobs, settings):
    from vault.clients.errors import UnavailableError

    settings.JOBS_MAX_RETRIES = 1

    def down(ctx):
        raise UnavailableError("plex", "Could not reach Plex at http://x: refused.")

    from jobs.registry import JobSpec, register

    register(JobSpec(key="demo_down", name="Down", func=down))
    run = dispatch("demo_down", enqueue_now=False)

    first = runner.execute(run.pk)
    run.refresh_from_db()
    status_between = run.status
    second = runner.execute(run.pk)

    run.refresh_from_db()
    assert first.retry_in is not None and 8 <= first.retry_in <= 12
    assert status_between == "queued" and second.retry_in is None
    assert (run.status, run.reason_code, run.attempts) == ("failed", "plex_unavailable", 2)
    assert "Plex" in run.reason


def test_permanent_error_fails_at_once(demo_jobs):
    from jobs.registry import JobSpec, register
    from vault.clients.errors import AuthError

    def refused(ctx):
        raise AuthError("tmdb", "TMDB refused the API key (401).")

    register(JobSpec(key="demo_auth", name="Auth", func=refused))
    run = dispatch("demo_auth", enqueue_now=False)

    outcome = runner.execute(run.pk)

    run.refresh_from_db()
    assert (outcome.retry_in, run.status, run.reason_code) == (None, "failed", "tmdb_error")
    assert run.reason == "TMDB refused the API key (401)."


def test_chained_run_keeps_scope_and_links_parent(demo_jobs):
    run = dispatch("demo_chain", scope=ALICE, dry_run=True, enqueue_now=False)

    runner.execute(run.pk, sync=True)

    child = JobRun.objects.get(parent=run)
    assert (child.job, child.trigger, child.status, child.dry_run) == (
        "demo_ok", Trigger.CHAINED, "succeeded", True)
    assert (child.viewer_account_id, child.library_key) == (2, "1")


def test_auto_success_marks_item_processed_and_repeat_skips(demo_jobs):
    first = dispatch("demo_ok", trigger=Trigger.AUTO, scope=ALICE, item_key="501",
                     enqueue_now=False)
    runner.execute(first.pk, sync=True)
    repeat = dispatch("demo_ok", trigger=Trigger.AUTO, scope=ALICE, item_key="501",
                      enqueue_now=False)

    runner.execute(repeat.pk, sync=True)

    repeat.refresh_from_db()
    assert ProcessedItem.objects.filter(item_key="501").count() == 1
    assert (repeat.status, repeat.reason_code) == ("skipped", "already_processed")


def test_dry_auto_run_does_not_mark_processed(demo_jobs):
    run = dispatch("demo_ok", trigger=Trigger.AUTO, scope=ALICE, item_key="9", dry_run=True,
                   enqueue_now=False)

    runner.execute(run.pk, sync=True)

    assert not ProcessedItem.objects.exists()


def test_sweep_interrupts_silent_run_and_frees_lock(demo_jobs):
    run = dispatch("demo_ok", scope=ALICE, enqueue_now=False)
    long_ago = timezone.now() - timedelta(minutes=5)
    JobRun.objects.filter(pk=run.pk).update(status=Status.RUNNING, heartbeat_at=long_ago)
    locks.acquire(locks.scope_key("demo_ok", 2, "1"), run)
    alive = dispatch("demo_ok", enqueue_now=False)
    JobRun.objects.filter(pk=alive.pk).update(status=Status.RUNNING, heartbeat_at=timezone.now())

    swept = sweep()

    run.refresh_from_db()
    assert swept == [run.pk]
    assert (run.status, run.reason_code) == ("interrupted", "worker_lost")
    assert not ScopeLock.objects.exists()
    assert JobRun.objects.get(pk=alive.pk).status == "running"


def test_prune_forgets_runs_older_than_retention(demo_jobs):
    old = dispatch("demo_ok", enqueue_now=False)
    JobRun.objects.filter(pk=old.pk).update(status=Status.SUCCEEDED,
                                            created_at=timezone.now() - timedelta(days=91))
    LogLine.objects.create(run=old, message="old line")
    recent = dispatch("demo_ok", enqueue_now=False)

    deleted = prune()

    assert deleted == 1
    assert list(JobRun.objects.values_list("pk", flat=True)) == [recent.pk]
    assert not LogLine.objects.filter(message="old line").exists()


def test_dispatch_enqueues_only_after_commit(demo_jobs, django_capture_on_commit_callbacks,
                                             monkeypatch):
    sent = []
    from celery import current_app

    monkeypatch.setattr(current_app, "send_task", lambda name, **kw: sent.append(kw))

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        run = dispatch("demo_ok")
    before = list(sent)
    for callback in callbacks:
        callback()

    assert before == []
    assert sent[0]["kwargs"] == {"run_id": run.pk}
    assert sent[0]["soft_time_limit"] == 15 * 60


@pytest.mark.django_db(transaction=True)  # the beat closes its connection after an error
def test_heartbeat_missed_beat_keeps_beating(demo_jobs, monkeypatch):
    from django.db import OperationalError

    run = dispatch("demo_ok", enqueue_now=False)
    long_ago = timezone.now() - timedelta(minutes=5)
    JobRun.objects.filter(pk=run.pk).update(status=Status.RUNNING, heartbeat_at=long_ago)
    beat, real = runner.Heartbeat(run.pk), runner.JobRun.objects.filter
    calls = []

    def busy_once(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("database is locked")
        return real(*args, **kwargs)

    monkeypatch.setattr(runner.JobRun.objects, "filter", busy_once)
    beat._touch()
    beat._touch()

    assert len(calls) == 2
    assert JobRun.objects.get(pk=run.pk).heartbeat_at > long_ago
