"""Periodic upkeep of the recommendations app."""

from __future__ import annotations

import logging

from celery import shared_task
from django.conf import settings

from recommendations.engine import tmdbcache

logger = logging.getLogger(__name__)
PURGE_TASK = "immaculaterr.recommendations.purge_tmdb_cache"
PURGE_CRONTAB = "15 4 * * *"  # daily, in the quiet hours before the 4:45 run pruning


@shared_task(name=PURGE_TASK, ignore_result=True)
def purge_tmdb_cache() -> int:
    """Expired answers are never read again (the cache skips them), so only disk is saved."""
    deleted = tmdbcache.purge_expired()
    logger.info("Purged %d expired TMDB cache entries", deleted)
    return deleted


def ensure_schedules(using="default", **kwargs) -> None:
    """Create the daily purge once; afterwards its time belongs to the admin."""
    from django.db import connections
    from django_celery_beat.models import CrontabSchedule, PeriodicTask

    # Also called after `migrate django_celery_beat zero`, when its tables are gone.
    if PeriodicTask._meta.db_table not in connections[using].introspection.table_names():
        return
    minute, hour, day_of_month, month_of_year, day_of_week = PURGE_CRONTAB.split()
    crontab, _ = CrontabSchedule.objects.using(using).get_or_create(
        minute=minute, hour=hour, day_of_month=day_of_month, month_of_year=month_of_year,
        day_of_week=day_of_week, timezone=settings.TIME_ZONE)
    PeriodicTask.objects.using(using).get_or_create(name=PURGE_TASK, defaults={
        "task": PURGE_TASK, "crontab": crontab,
        "description": "Deletes expired TMDB cache entries."})
