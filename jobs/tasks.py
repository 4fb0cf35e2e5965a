"""Celery tasks: thin wrappers that take ids and call the jobs services."""

from __future__ import annotations

from celery import shared_task

from jobs import maintenance, runner
from jobs.dispatch import RUN_TASK, dispatch, send
from jobs.models import JobRun, Trigger
from jobs.triggers.poller import poll


@shared_task(name=RUN_TASK, ignore_result=True, acks_late=True)
def run_job(run_id: int) -> str:
    outcome = runner.execute(run_id)
    if outcome.retry_in is not None:
        # Bounded by counters on the run row (lock waits, attempts), not by this message;
        # sent like the first time, with the job's time limits.
        job = JobRun.objects.filter(pk=run_id).values_list("job", flat=True).first()
        if job:
            send(run_id, job, countdown=outcome.retry_in)
    return outcome.status


@shared_task(name="immaculaterr.jobs.run_scheduled", ignore_result=True)
def run_scheduled(job: str) -> int:
    return dispatch(job, trigger=Trigger.SCHEDULE).pk


@shared_task(name="immaculaterr.jobs.poll_sessions", ignore_result=True, expires=30)
def poll_sessions() -> int:
    return len(poll())


@shared_task(name="immaculaterr.jobs.sweep", ignore_result=True, expires=60)
def sweep() -> int:
    return len(maintenance.sweep())


@shared_task(name="immaculaterr.jobs.prune", ignore_result=True)
def prune() -> int:
    return maintenance.prune()
