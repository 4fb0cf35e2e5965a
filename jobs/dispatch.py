"""Create a run and hand it to a worker once the surrounding transaction commits.

The task is sent by its registered name, so this module need not import jobs.tasks (which
imports the runner, which imports this): one direction, tasks -> runner -> dispatch.
"""

from __future__ import annotations

import logging

from celery import current_app
from django.db import transaction
from django.utils import timezone

from jobs import registry
from jobs.context import Scope
from jobs.errors import skip_sentence
from jobs.models import JobRun, LogLine, Status, Trigger

logger = logging.getLogger("jobs")
RUN_TASK = "immaculaterr.jobs.run"  # jobs.tasks.run_job


def seed_title(seed: dict | None) -> str:
    if not seed:
        return ""
    title = seed.get("title") or (f"rating key {seed['rating_key']}"
                                  if seed.get("rating_key") else "")
    return f"{title} ({seed['year']})" if title and seed.get("year") else title


def create_run(key: str, *, trigger: str, scope: Scope | None = None, seed: dict | None = None,
               dry_run: bool = False, parent: JobRun | None = None, item_key: str = "",
               status: str = Status.QUEUED) -> JobRun:
    registry.get(key)  # unknown keys never reach the database
    scope = scope or Scope()
    return JobRun.objects.create(job=key, trigger=trigger, status=status, dry_run=dry_run,
                                 seed=seed or {}, seed_title=seed_title(seed)[:300],
                                 parent=parent, item_key=str(item_key or ""), **scope.fields())


def send(run_id: int, job: str, countdown: float | None = None) -> None:
    """Hand run `run_id` to a worker now, with its job's time limits (first send and every
    re-queue alike: a retried run keeps its limits)."""
    spec = registry.get(job)
    options = {"soft_time_limit": spec.time_limit, "time_limit": spec.time_limit + 60}
    if countdown is not None:
        options["countdown"] = countdown
    current_app.send_task(RUN_TASK, kwargs={"run_id": run_id}, **options)


def enqueue(run: JobRun) -> None:
    transaction.on_commit(lambda: send(run.pk, run.job))


def dispatch(key: str, *, trigger: str = Trigger.MANUAL, scope: Scope | None = None,
             seed: dict | None = None, dry_run: bool = False, parent: JobRun | None = None,
             item_key: str = "", enqueue_now: bool = True) -> JobRun:
    """A queued run of job `key`; it reaches a worker after commit (never before)."""
    run = create_run(key, trigger=trigger, scope=scope, seed=seed, dry_run=dry_run,
                     parent=parent, item_key=item_key)
    if enqueue_now:
        enqueue(run)
    return run


def record_skip(key: str, code: str, *, trigger: str = Trigger.AUTO, scope: Scope | None = None,
                seed: dict | None = None, item_key: str = "", sentence: str = "") -> JobRun:
    """A run that is born skipped (a trigger decided not to start it), so Rewind shows why."""
    now = timezone.now()
    sentence = sentence or skip_sentence(code)
    run = create_run(key, trigger=trigger, scope=scope, seed=seed, item_key=item_key,
                     status=Status.SKIPPED)
    JobRun.objects.filter(pk=run.pk).update(reason_code=code, reason=sentence, started_at=now,
                                            finished_at=now)
    run.refresh_from_db()
    LogLine.objects.create(run=run, job=key, level=logging.INFO,
                           message=f"Skipped ({code}): {sentence}")
    return run
