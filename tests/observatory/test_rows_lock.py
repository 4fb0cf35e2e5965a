"""The Observatory's row sync and the jobs' row sync take one lock (recommendations.rows.lock):
while a job writes Bea's rows in Movies the apply writes nothing to Plex and syncs after it;
while the apply writes them a job waits and, waiting too long, fails with a sentence."""

from __future__ import annotations

import pytest

from jobs.definitions import rows as job_rows
from jobs.errors import JobFailed
from observatory import apply
from observatory.deck.cards import Scope
from observatory.deck.decide import decide
from recommendations.rows import lock
from recommendations.rows.sync import sync_viewer_rows
from tests.jobs.conftest import people, stack  # noqa: F401
from tests.observatory.test_rows import row_keys, seed_row
from vault.clients.factory import plex_server

pytestmark = pytest.mark.django_db


def test_apply_waits_for_a_job_writing_the_rows_then_syncs(stack, enqueued,  # noqa: F811
                                                           monkeypatch):
    bea, movies, plex = stack["viewers"]["bea"], stack["libraries"]["1"], stack["plex"]
    items = seed_row(stack)
    monkeypatch.setattr(apply, "LOCK_WAIT", 0.3)
    decide(Scope(bea, movies), items[0].tmdb_id, "remove")
    plex.clear()

    with job_rows.rows_lock(bea, movies, dry_run=False):
        assert lock.holder_of(bea, movies) == "jobs"
        busy = apply.apply_decisions(bea, movies)

    assert busy == {"applied": 1, "sent": 0, "rows_synced": True, "rows_ok": False,
                    "rows_busy": True}
    assert plex.writes() == 0  # nothing written to Plex while the job held the rows
    assert row_keys(plex) == sorted(i.rating_key for i in items)
    assert lock.holder_of(bea, movies) == ""

    later = apply.apply_decisions(bea, movies, resync=True)

    assert later == {"applied": 0, "sent": 0, "rows_synced": True, "rows_ok": True}
    assert row_keys(plex) == sorted(i.rating_key for i in items[1:])


def test_a_job_waits_for_the_observatory_and_fails_with_a_sentence(stack,  # noqa: F811
                                                                   monkeypatch):
    bea, movies = stack["viewers"]["bea"], stack["libraries"]["1"]
    monkeypatch.setattr(job_rows, "ROWS_LOCK_WAIT", 1)

    with lock.held(bea, movies, "observatory", wait=0), pytest.raises(JobFailed) as failed:
        with job_rows.rows_lock(bea, movies, dry_run=False):
            pytest.fail("the job wrote rows the Observatory was writing")

    assert failed.value.code == "rows_busy"
    assert "Bea's rows busy" in str(failed.value)
    with job_rows.rows_lock(bea, movies, dry_run=False):  # freed: the job goes on
        assert lock.holder_of(bea, movies) == "jobs"
        sync_viewer_rows(plex_server(), bea, movies)
    assert lock.holder_of(bea, movies) == ""


def test_a_dead_jobs_lock_is_taken_over_by_the_next_job_not_by_the_observatory(stack):  # noqa: F811
    bea, movies = stack["viewers"]["bea"], stack["libraries"]["1"]
    assert lock.acquire(bea, movies, "jobs") is not None  # its worker died holding it

    assert lock.acquire(bea, movies, "observatory") is None
    with job_rows.rows_lock(bea, movies, dry_run=False):
        assert lock.holder_of(bea, movies) == "jobs"
    assert lock.acquire(bea, movies, "observatory") is not None
