"""The rows lock is a committed row other workers can see, never one hidden inside the
refresher's transaction (on PostgreSQL a hidden one makes them block on the unique index)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from jobs import locks
from jobs.models import ScopeLock, Trigger
from tests.jobs.test_plex_down_mid_run import run_sync, seeded_once

pytestmark = pytest.mark.django_db(transaction=True)


def from_another_worker(look) -> dict:
    """Run `look` on a second database connection; report what it saw and if it got stuck."""
    seen: dict = {}

    def work():
        from django.db import connection as theirs

        try:
            look(seen)
        finally:
            theirs.close()

    thread = threading.Thread(target=work, daemon=True)
    thread.start()
    thread.join(timeout=10)
    seen["stuck"] = thread.is_alive()
    return seen


def test_rows_lock_visible_to_other_workers_while_refresher_syncs_rows(stack, monkeypatch):
    from recommendations.rows import sync

    scope = seeded_once(stack)
    key = f"rows:{scope.viewer_account_id}:{scope.library_key}"
    real, seen = sync.sync_viewer_rows, {}

    def look(into):
        into["held"] = ScopeLock.objects.filter(key=key).exists()
        if connection.vendor == "postgresql":  # SQLite allows one writer; PG must not block
            into["second_token"] = locks.acquire(key)

    def sync_and_look(*args, **kwargs):
        seen.update(from_another_worker(look))
        return real(*args, **kwargs)

    monkeypatch.setattr(sync, "sync_viewer_rows", sync_and_look)
    run = run_sync("immaculate_taste_refresher", scope, trigger=Trigger.CHAINED)

    assert run.status == "succeeded", run.reason
    assert seen["stuck"] is False and seen["held"] is True
    assert seen.get("second_token") is None
    assert not ScopeLock.objects.filter(key=key).exists()


@pytest.mark.django_db
def test_rows_lock_of_a_killed_run_is_freed_by_the_sweeper(stack, monkeypatch):
    from datetime import timedelta

    from django.utils import timezone

    from jobs.definitions import rows
    from jobs.dispatch import dispatch
    from jobs.maintenance import sweep
    from jobs.models import JobRun

    scope = seeded_once(stack)
    dead = dispatch("immaculate_taste_refresher", scope=scope, trigger=Trigger.CHAINED,
                    enqueue_now=False)
    JobRun.objects.filter(pk=dead.pk).update(
        status="running", heartbeat_at=timezone.now() - timedelta(minutes=5))
    # Its worker died inside the rows sync (kept referenced: closing it would release).
    held = rows.rows_lock(stack["viewers"]["bea"], stack["libraries"]["1"], False, dead)
    held.__enter__()
    monkeypatch.setattr(rows, "ROWS_LOCK_WAIT", 1)

    swept = sweep()
    after = run_sync("immaculate_taste_refresher", scope, trigger=Trigger.CHAINED)

    assert swept == [dead.pk]
    assert after.status == "succeeded", after.reason
    assert not ScopeLock.objects.exists()
