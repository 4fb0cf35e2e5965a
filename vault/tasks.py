"""Keep the Plex mirror fresh between jobs (incremental: a few requests when nothing changed)."""

import logging

from celery import shared_task

from vault import integrations
from vault.mirror import reader

log = logging.getLogger(__name__)
REFRESH_TASK = "immaculaterr.vault.refresh_plex_mirror"


@shared_task(name=REFRESH_TASK, ignore_result=True)
def refresh_plex_mirror(full: bool = False) -> dict | None:
    if not integrations.is_enabled("plex"):
        return None
    stats = reader.refresh(full=full)
    log.info("Plex mirror refreshed: %s viewers, %s libraries", stats["viewers"],
             len(stats["libraries"]))
    return stats


def ensure_schedule(using="default", **kwargs) -> None:
    from django.db import connections
    from django_celery_beat.models import IntervalSchedule, PeriodicTask

    if PeriodicTask._meta.db_table not in connections[using].introspection.table_names():
        return
    every, _ = IntervalSchedule.objects.get_or_create(every=30, period=IntervalSchedule.MINUTES)
    PeriodicTask.objects.get_or_create(
        name=REFRESH_TASK,
        defaults={"task": REFRESH_TASK, "interval": every, "enabled": True,
                  "description": "Re-read Plex libraries, viewers and new items."},
    )
