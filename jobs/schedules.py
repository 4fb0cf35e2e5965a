"""Beat schedules of the jobs app (django-celery-beat rows), created after every migrate.

Job schedules are created once with the product's default and then belong to the admin
(Task Manager edits them); the poller, sweeper and pruner are kept at their configured
periods.
"""

from __future__ import annotations

import json
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from jobs import conf, registry

POLL_TASK = "immaculaterr.jobs.poll_sessions"
SWEEP_TASK = "immaculaterr.jobs.sweep"
PRUNE_TASK = "immaculaterr.jobs.prune"
SCHEDULED_TASK = "immaculaterr.jobs.run_scheduled"
RECENT_TASK = "immaculaterr.jobs.recently_added"  # jobs.triggers.recent


def task_name(key: str) -> str:
    return f"jobs: {key}"


def crontab_of(line: str, tz: str):
    from django_celery_beat.models import CrontabSchedule

    minute, hour, day_of_month, month_of_year, day_of_week = line.split()
    schedule, _ = CrontabSchedule.objects.get_or_create(
        minute=minute, hour=hour, day_of_month=day_of_month, month_of_year=month_of_year,
        day_of_week=day_of_week, timezone=tz)
    return schedule


def ensure_job_schedules(using="default", **kwargs) -> None:
    from django.db import connections
    from django_celery_beat.models import IntervalSchedule, PeriodicTask

    if PeriodicTask._meta.db_table not in connections[using].introspection.table_names():
        return
    for spec in registry.all_jobs():
        if spec.scheduled and not PeriodicTask.objects.filter(name=task_name(spec.key)).exists():
            PeriodicTask.objects.create(
                name=task_name(spec.key), task=SCHEDULED_TASK,
                kwargs=json.dumps({"job": spec.key}),
                crontab=crontab_of(spec.default_schedule, settings.TIME_ZONE),
                description=spec.name)
    for name, seconds, text in (
            (POLL_TASK, conf.get("JOBS_POLL_SECONDS"), "Polls Plex sessions for watch triggers."),
            (SWEEP_TASK, conf.get("JOBS_SWEEP_SECONDS"), "Interrupts runs whose worker died."),
            (RECENT_TASK, getattr(settings, "JOBS_RECENT_SECONDS", 60),
             "Checks Plex for recently added items (Cleanup After Adding New Content).")):
        every, _ = IntervalSchedule.objects.get_or_create(every=seconds,
                                                          period=IntervalSchedule.SECONDS)
        PeriodicTask.objects.update_or_create(name=name, defaults={
            "task": name, "interval": every, "crontab": None, "description": text,
            "expires": None})
    PeriodicTask.objects.get_or_create(name=PRUNE_TASK, defaults={
        "task": PRUNE_TASK, "crontab": crontab_of("45 4 * * *", settings.TIME_ZONE),
        "description": "Forgets runs older than the retention period."})


def job_schedule(key: str):
    from django_celery_beat.models import PeriodicTask

    return PeriodicTask.objects.filter(name=task_name(key)).select_related("crontab").first()


def next_run(periodic):
    """When beat starts this schedule next (aware datetime in its timezone), or None."""
    if periodic is None or not periodic.enabled or periodic.crontab is None:
        return None
    schedule = periodic.crontab.schedule
    now = timezone.now().astimezone(schedule.tz) if getattr(schedule, "tz", None) else \
        timezone.now()
    # the estimate lands a few microseconds short of the minute: round to it
    at = now + schedule.remaining_estimate(now) + timedelta(seconds=30)
    return at.replace(second=0, microsecond=0)
