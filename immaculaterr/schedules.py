"""Periodic tasks the core needs, created after every migrate (idempotent)."""

from django.conf import settings

from immaculaterr.health import HEARTBEAT_TASK


def ensure_core_schedules(using="default", **kwargs) -> None:
    from django.db import connections
    from django_celery_beat.models import IntervalSchedule, PeriodicTask

    # Also called after `migrate django_celery_beat zero`, when its tables are gone.
    if PeriodicTask._meta.db_table not in connections[using].introspection.table_names():
        return

    every, _ = IntervalSchedule.objects.get_or_create(
        every=settings.HEARTBEAT_SECONDS, period=IntervalSchedule.SECONDS
    )
    PeriodicTask.objects.update_or_create(
        name=HEARTBEAT_TASK,
        defaults={"task": HEARTBEAT_TASK, "interval": every, "enabled": True,
                  "description": "Proves that beat and a worker are alive."},
    )


def ensure_cache_table(using="default", **kwargs) -> None:
    """Without Redis the cache lives in the database; its table is not a migration."""
    from django.core.management import call_command

    if settings.CACHES["default"]["BACKEND"].endswith("DatabaseCache"):
        call_command("createcachetable", database=using, verbosity=0)
