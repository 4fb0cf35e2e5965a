"""The daily TMDB cache purge: what it deletes, and its beat schedule."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from recommendations.models import TmdbCacheEntry
from recommendations.tasks import PURGE_TASK, ensure_schedules, purge_tmdb_cache

pytestmark = pytest.mark.django_db


def make_entry(key: str, expires_in: timedelta) -> TmdbCacheEntry:
    now = timezone.now()
    return TmdbCacheEntry.objects.create(key=key, endpoint="details", payload={"id": 1},
                                         fetched_at=now - timedelta(days=1),
                                         expires_at=now + expires_in)


def test_purge_tmdb_cache_deletes_expired_and_keeps_fresh():
    make_entry("details:old", timedelta(seconds=-1))
    make_entry("details:older", timedelta(days=-40))
    make_entry("details:fresh", timedelta(days=3))

    deleted = purge_tmdb_cache.apply().get()

    assert deleted == 2
    assert list(TmdbCacheEntry.objects.values_list("key", flat=True)) == ["details:fresh"]


def test_purge_tmdb_cache_empty_cache_deletes_nothing():
    assert purge_tmdb_cache() == 0


def test_purge_schedule_exists_after_migrate():
    task = PeriodicTask.objects.select_related("crontab").get(name=PURGE_TASK)

    assert task.task == "immaculaterr.recommendations.purge_tmdb_cache"
    assert (task.crontab.minute, task.crontab.hour, task.crontab.day_of_week) == ("15", "4", "*")
    assert task.enabled is True


def test_ensure_schedules_is_idempotent_and_keeps_admin_edits():
    task = PeriodicTask.objects.get(name=PURGE_TASK)
    task.enabled = False
    task.save()

    ensure_schedules()
    ensure_schedules()

    assert PeriodicTask.objects.filter(task=PURGE_TASK).count() == 1
    assert PeriodicTask.objects.get(name=PURGE_TASK).enabled is False


def test_ensure_schedules_without_beat_tables_does_nothing(monkeypatch):
    from django.db import connection

    PeriodicTask.objects.filter(name=PURGE_TASK).delete()
    monkeypatch.setattr(connection.introspection, "table_names", lambda *a, **k: [])

    ensure_schedules()

    monkeypatch.undo()
    assert PeriodicTask.objects.filter(name=PURGE_TASK).exists() is False
