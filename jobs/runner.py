"""Execute one run: take its scope lock, claim it, call the job, record the outcome.

Celery's task, `run_job --sync` and tests all come through `execute`.
"""

from __future__ import annotations

import logging
import os
import random
import socket
import threading
from dataclasses import dataclass

from django.db import DatabaseError, connection, transaction
from django.db.models import F
from django.utils import timezone

from jobs import conf, locks, registry
from jobs.context import JobContext
from jobs.dispatch import create_run, enqueue
from jobs.errors import JobCancelled, JobFailed, JobSkipped, skip_sentence
from jobs.failures import describe
from jobs.models import JobRun, LogLine, ProcessedItem, Status, Trigger

logger = logging.getLogger("jobs")


@dataclass(frozen=True)
class Outcome:
    status: str
    retry_in: float | None = None  # re-queue the task after this many seconds


def _unscoped(run: JobRun) -> str:
    # A seeded run finds its viewer and library from the seed a moment later.
    return "the seed's viewer and library" if run.seed else "every eligible viewer and library"


def execute(run_id: int, *, sync: bool = False) -> Outcome:
    run = JobRun.objects.filter(pk=run_id).first()
    if run is None or run.status != Status.QUEUED:
        return Outcome(run.status if run else "missing")
    if run.cancel_requested_at:  # cancelled while it waited for a retry or a lock
        return _finish_unclaimed(run, Status.CANCELLED, "cancelled", JobCancelled().sentence)
    try:
        spec = registry.get(run.job)
    except registry.UnknownJob as exc:
        return _finish_unclaimed(run, Status.FAILED, "unknown_job", str(exc))
    key = locks.scope_key(run.job, run.viewer_account_id, run.library_key)
    token = locks.acquire(key, run)
    if token is None:
        return _wait_for_lock(run, sync)
    try:
        if not _claim(run):
            return Outcome(JobRun.objects.get(pk=run.pk).status)
        run.refresh_from_db()
        return _run_claimed(run, spec, sync)
    finally:
        locks.release(key, token)


def _claim(run: JobRun) -> bool:
    """queued -> running, once: only the worker whose UPDATE changed the row goes on."""
    now = timezone.now()
    return JobRun.objects.filter(pk=run.pk, status=Status.QUEUED).update(
        status=Status.RUNNING, started_at=now, heartbeat_at=now, attempts=F("attempts") + 1,
        worker=f"{socket.gethostname()} pid {os.getpid()}") == 1


def _wait_for_lock(run: JobRun, sync: bool) -> Outcome:
    if sync or run.lock_waits >= conf.get("JOBS_LOCK_MAX_WAITS"):
        return _finish_unclaimed(run, Status.SKIPPED, "scope_busy", skip_sentence("scope_busy"))
    JobRun.objects.filter(pk=run.pk).update(lock_waits=F("lock_waits") + 1)
    return Outcome(Status.QUEUED, retry_in=conf.get("JOBS_LOCK_WAIT_SECONDS"))


def _finish_unclaimed(run: JobRun, status: str, code: str, sentence: str) -> Outcome:
    now = timezone.now()
    JobRun.objects.filter(pk=run.pk, status=Status.QUEUED).update(
        status=status, reason_code=code, reason=sentence, started_at=now, finished_at=now)
    LogLine.objects.create(run=run, job=run.job, level=logging.WARNING, message=sentence)
    return Outcome(status)


def already_processed(run: JobRun) -> bool:
    return run.trigger == Trigger.AUTO and bool(run.item_key) and ProcessedItem.objects.filter(
        job=run.job, viewer_account_id=run.viewer_account_id, library_key=run.library_key,
        item_key=run.item_key).exists()


def _run_claimed(run: JobRun, spec, sync: bool) -> Outcome:
    ctx = JobContext.for_run(run, sync=sync)
    try:
        return _run_in_context(ctx, run, spec, sync)
    except locks.ScopeBusy:
        return _unclaim_for_lock(ctx, sync)
    finally:
        ctx.release_locks()


def _unclaim_for_lock(ctx: JobContext, sync: bool) -> Outcome:
    """The run narrowed to a scope another run holds: back to queued (this attempt does not
    count), then wait for the lock like a run whose scope was known from the start."""
    ctx.log(f"{ctx.scope.label or 'This scope'} is busy with another run.", logging.INFO)
    JobRun.objects.filter(pk=ctx.run.pk, status=Status.RUNNING).update(
        status=Status.QUEUED, started_at=None, heartbeat_at=None, attempts=F("attempts") - 1,
        report=ctx.report.as_dict(), step="")
    ctx.run.refresh_from_db()
    return _wait_for_lock(ctx.run, sync)


def _run_in_context(ctx: JobContext, run: JobRun, spec, sync: bool) -> Outcome:
    if already_processed(run):
        return _finish(ctx, Status.SKIPPED, "already_processed", skip_sentence("already_processed"))
    ctx.log(f"Started ({run.get_trigger_display().lower()}"
            f"{', dry run' if run.dry_run else ''}) for "
            f"{ctx.scope.label or _unscoped(run)}.")
    with Heartbeat(run.pk, enabled=not connection.in_atomic_block):
        try:
            spec.func(ctx)
        except JobSkipped as exc:
            return _finish(ctx, Status.SKIPPED, exc.code, exc.sentence)
        except JobFailed as exc:
            return _finish(ctx, Status.FAILED, exc.code, exc.sentence)
        except JobCancelled as exc:
            return _finish(ctx, Status.CANCELLED, exc.code, exc.sentence)
        except locks.ScopeBusy:
            raise
        except Exception as exc:  # noqa: BLE001 - every failure becomes a reasoned outcome
            return _failed(ctx, exc, sync)
    status, code, sentence = _judge(ctx)
    return _finish(ctx, status, code, sentence)


def request_cancel(run_id: int, by: str = "") -> str:
    """Cancel a run: a queued one never starts; a running one stops when it enters its next
    step (JobContext.check_cancelled). The sentence says which happened."""
    now, who = timezone.now(), f" by {by}" if by else ""
    run = JobRun.objects.filter(pk=run_id).only("pk", "job").first()
    if run is None:
        return "There is no such run."
    if JobRun.objects.filter(pk=run_id, status=Status.QUEUED).update(
            status=Status.CANCELLED, cancel_requested_at=now, started_at=now, finished_at=now,
            reason_code="cancelled", reason=f"Cancelled{who} before it started."):
        LogLine.objects.create(run=run, job=run.job, message=f"Cancelled{who} before it started.")
        return "Cancelled before it started."
    if JobRun.objects.filter(pk=run_id, status=Status.RUNNING,
                             cancel_requested_at__isnull=True).update(cancel_requested_at=now):
        LogLine.objects.create(run=run, job=run.job, level=logging.WARNING,
                               message=f"Cancel requested{who}; stopping at the next step.")
        return "Cancelling: the worker stops this run at its next step."
    if JobRun.objects.filter(pk=run_id, status=Status.RUNNING).exists():
        return "Already cancelling: the worker stops this run at its next step."
    return "This run had already finished; nothing to cancel."


def _judge(ctx: JobContext) -> tuple[str, str, str]:
    """Sweeps: all scopes failed -> failed; some -> partial; none ran -> skipped."""
    states = ctx.report.scope_statuses()
    failed = {"failed"} & states
    if failed and states - {"failed", "skipped"}:
        return Status.PARTIAL, "some_scopes_failed", "Some viewers or libraries failed."
    if failed:
        reasons = sorted({s["reason"] for s in ctx.report.data["scopes"] if s["reason"]})
        return Status.FAILED, "all_scopes_failed", ("Every viewer and library failed: "
                                                    + "; ".join(reasons))[:500]
    if states and states <= {"skipped"}:
        reasons = {s["reason"] for s in ctx.report.data["scopes"]}
        return Status.SKIPPED, "nothing_eligible", "; ".join(sorted(reasons))[:500]
    broken = [c for c in ctx.report.data["services"] if c.get("status") == "failed"]
    if broken:
        named = "; ".join(f"{c['name']} failed: {c.get('detail') or 'no answer'}"
                          for c in broken)
        return Status.PARTIAL, "service_failed", f"{named}; the rest went on without it."[:500]
    return Status.SUCCEEDED, "", ""


def _failed(ctx: JobContext, exc: Exception, sync: bool) -> Outcome:
    from celery.exceptions import SoftTimeLimitExceeded

    if isinstance(exc, SoftTimeLimitExceeded):
        return _finish(ctx, Status.FAILED, "time_limit", "The run hit its time limit.")
    failure = describe(exc)
    logger.warning("Run #%s failed: %s", ctx.run.pk, failure.sentence, exc_info=exc)
    attempts = JobRun.objects.get(pk=ctx.run.pk).attempts
    if failure.transient and not sync and attempts <= conf.get("JOBS_MAX_RETRIES"):
        return _requeue(ctx, failure, attempts)
    return _finish(ctx, Status.FAILED, failure.code, failure.sentence)


def _requeue(ctx: JobContext, failure, attempts: int) -> Outcome:
    delay = conf.get("JOBS_RETRY_BACKOFF") * 2 ** (attempts - 1) * random.uniform(0.8, 1.2)
    ctx.log(f"{failure.sentence} Retrying in {delay:.0f} s (attempt {attempts}).",
            logging.WARNING)
    JobRun.objects.filter(pk=ctx.run.pk, status=Status.RUNNING).update(
        status=Status.QUEUED, reason_code=failure.code, reason=f"Retrying: {failure.sentence}",
        report=ctx.report.as_dict())
    return Outcome(Status.QUEUED, retry_in=delay)


def _finish(ctx: JobContext, status: str, code: str, sentence: str) -> Outcome:
    run = ctx.run
    with transaction.atomic():
        changed = JobRun.objects.filter(pk=run.pk, status=Status.RUNNING).update(
            status=status, reason_code=code, reason=sentence, finished_at=timezone.now(),
            report=ctx.report.as_dict(), step="", current=F("total"))
        if changed and status == Status.SUCCEEDED and _counts_as_processed(run):
            ProcessedItem.objects.get_or_create(
                job=run.job, viewer_account_id=run.viewer_account_id,
                library_key=run.library_key, item_key=run.item_key, defaults={"run": run})
    level = logging.WARNING if status in (Status.FAILED, Status.PARTIAL) else logging.INFO
    ctx.log(f"Finished: {status}" + (f" ({code}) {sentence}" if code else "."), level)
    if changed and status != Status.CANCELLED and JobRun.objects.filter(
            pk=run.pk, cancel_requested_at__isnull=False).exists():
        ctx.log("The cancel came after the last step: the run had already done its work.")
    if changed and status in (Status.SUCCEEDED, Status.PARTIAL):
        _start_chained(ctx)
    return Outcome(status)


def _counts_as_processed(run: JobRun) -> bool:
    return (run.trigger == Trigger.AUTO and not run.dry_run and bool(run.item_key)
            and run.viewer_account_id is not None)


def _start_chained(ctx: JobContext) -> None:
    for key, scope in ctx.chained:
        child = create_run(key, trigger=Trigger.CHAINED, scope=scope, dry_run=ctx.dry_run,
                           parent=ctx.run)
        ctx.log(f"Chained {key} #{child.pk} for {scope.label or 'every scope'}.")
        if ctx.sync:
            execute(child.pk, sync=True)
        else:
            enqueue(child)


class Heartbeat:
    """A background thread that touches the running row so the sweeper knows we live.

    Skipped inside an open transaction (tests, some sync runs): another connection could not
    see the row, and on SQLite it would wait for the writer lock.
    """

    def __init__(self, run_id: int, enabled: bool = True):
        self.run_id, self.enabled = run_id, enabled
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._beat, name=f"heartbeat-{run_id}",
                                       daemon=True)

    def __enter__(self):
        if self.enabled:
            self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        if self.enabled:
            self.thread.join(timeout=5)

    def _beat(self) -> None:
        every = conf.get("JOBS_HEARTBEAT_SECONDS")
        try:
            while not self.stop.wait(every):
                self._touch()
        except Exception:  # noqa: BLE001 - anything but a database error ends the beats
            logger.exception("Heartbeat for run #%s stopped", self.run_id)
        finally:
            connection.close()

    def _touch(self) -> None:
        """One beat. A failed one (SQLite busy behind a long write, a dropped connection) must
        not end the thread, or the sweeper would interrupt a run that is still working."""
        try:
            JobRun.objects.filter(pk=self.run_id, status=Status.RUNNING).update(
                heartbeat_at=timezone.now())
        except DatabaseError:
            logger.warning("Heartbeat for run #%s missed a beat", self.run_id, exc_info=True)
            connection.close()
