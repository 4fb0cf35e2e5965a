"""Plex going down in the middle of a run (not before it): the run fails naming Plex, and the
dataset and the rows in Plex are as they were."""

from __future__ import annotations

import pytest

from jobs import runner
from jobs.context import Scope
from jobs.dispatch import dispatch
from jobs.models import JobRun, Trigger
from recommendations.models import ImmaculateTasteTitle
from tests.fakes.base import Response
from tests.jobs.test_jobdefs import a_seed, collections

pytestmark = pytest.mark.django_db


def go_down(plex, *, after: int | None = None, at_first_write: bool = False) -> dict:
    """From a point in the run on, Plex is down: the request at that point gets a 503 and every
    later connection is closed. Returns what the double saw before going down."""
    seen = {"before": 0, "at": None}
    answer = plex.dispatch

    def dispatch_then_die(req):
        writing = req.method not in ("GET", "HEAD")
        if (at_first_write and writing) or (after is not None and seen["before"] >= after):
            plex.down, seen["at"] = True, f"{req.method} {req.path}"
            return Response(503, plex.error_body(503))
        seen["before"] += 1
        return answer(req)

    plex.dispatch = dispatch_then_die
    return seen


def dataset(viewer) -> list[tuple]:
    return list(ImmaculateTasteTitle.objects.filter(viewer=viewer).order_by("tmdb_id")
                .values_list("tmdb_id", "status", "points", "rating_key"))


def run_sync(key: str, scope: Scope, trigger=Trigger.MANUAL, **kwargs) -> JobRun:
    run = dispatch(key, scope=scope, trigger=trigger, enqueue_now=False, **kwargs)
    runner.execute(run.pk, sync=True)
    run.refresh_from_db()
    return run


def seeded_once(stack) -> Scope:
    """Bea's dataset and rows after one good Immaculate Taste run (and its refresher)."""
    scope = Scope.of(stack["viewers"]["bea"], stack["libraries"]["1"], "movie")
    first = run_sync("immaculate_taste", scope,
                     seed={"rating_key": str(a_seed(stack).rating_key), "media_type": "movie"})
    assert first.status == "succeeded" and first.children.get().status == "succeeded"
    return scope


def pending_title_arrives_in_plex(stack) -> int:
    """One pending pick is added to Plex and indexed, so a refresher would activate it."""
    from vault.clients.factory import plex_server
    from vault.mirror import reader

    pending = ImmaculateTasteTitle.objects.filter(viewer=stack["viewers"]["bea"],
                                                  status="pending").order_by("tmdb_id").first()
    title = stack["catalog"].get("movie", pending.tmdb_id)
    stack["plex"].add_item(1, title)
    reader.index_library(plex_server(), stack["libraries"]["1"], full=True)
    return pending.tmdb_id


def test_refresher_plex_down_at_first_row_write_fails_and_rolls_back_activation(stack):
    plex, bea = stack["plex"], stack["viewers"]["bea"]
    scope = seeded_once(stack)
    arrived = pending_title_arrives_in_plex(stack)
    plex.clear()
    dataset_before, rows_before = dataset(bea), collections(plex)
    seen = go_down(plex, at_first_write=True)

    run = run_sync("immaculate_taste_refresher", scope, trigger=Trigger.CHAINED)

    assert run.status == "failed" and "Plex" in run.reason, run.reason
    assert seen["before"] > 0 and seen["at"] is not None  # it read Plex, then Plex went down
    steps = {s["name"]: s["status"] for s in run.report["steps"]}
    assert steps == {"plex index": "ok", "activate pending · Bea · Movies": "ok", "rows": "ok"}
    assert dataset(bea) == dataset_before
    del plex.dispatch
    plex.down = False
    assert collections(plex) == rows_before

    again = run_sync("immaculate_taste_refresher", scope, trigger=Trigger.CHAINED)

    assert again.status == "succeeded", again.reason
    activated = ImmaculateTasteTitle.objects.get(viewer=bea, tmdb_id=arrived)
    assert activated.status == "active"
    assert activated.rating_key in collections(plex)["Inspired by your Immaculate Taste (Bea)"]


def test_immaculate_taste_plex_down_after_connecting_fails_and_changes_nothing(stack):
    plex, bea = stack["plex"], stack["viewers"]["bea"]
    scope = seeded_once(stack)
    plex.clear()
    dataset_before, rows_before = dataset(bea), collections(plex)
    other = stack["libraries"]["1"]
    from vault.models import PlexItem

    seed = PlexItem.objects.filter(library=other, tmdb_id__isnull=False).order_by(
        "-rating_key").first()
    seen = go_down(plex, after=1)

    run = run_sync("immaculate_taste", scope,
                   seed={"rating_key": str(seed.rating_key), "media_type": "movie"})

    assert run.status == "failed" and "Plex" in run.reason, run.reason
    assert seen["before"] == 1 and seen["at"] is not None
    assert [s["status"] for s in run.report["steps"]] == ["failed"]
    assert dataset(bea) == dataset_before
    assert not run.children.exists()
    del plex.dispatch
    plex.down = False
    assert collections(plex) == rows_before


def test_immaculate_taste_on_unindexed_install_indexes_plex_first(stack):
    from vault.models import PlexItem

    PlexItem.objects.all().delete()
    seed = stack["catalog"].movies[[m.in_plex for m in stack["catalog"].movies].index(True)]
    scope = Scope.of(stack["viewers"]["bea"], None, "movie")

    run = run_sync("immaculate_taste", scope,
                   seed={"title": seed.title, "year": seed.year, "media_type": "movie"})

    assert run.status == "succeeded", run.reason
    index_step = run.report["steps"][0]
    assert index_step["name"] == "plex index"
    assert index_step["counts"]["fetched"] >= PlexItem.objects.count() > 50
    assert run.library_key == "1"  # the seed's library, found through the fresh index
    assert PlexItem.objects.filter(library__key="1", tmdb_id=seed.tmdb_id).exists()


def test_rows_sync_waits_while_another_job_holds_the_viewers_rows(stack, monkeypatch):
    from jobs import locks
    from jobs.definitions import rows

    scope = seeded_once(stack)
    bea, movies = stack["viewers"]["bea"], stack["libraries"]["1"]
    token = locks.acquire(f"rows:{bea.account_id}:{movies.key}")
    monkeypatch.setattr(rows, "ROWS_LOCK_WAIT", 1)

    busy = run_sync("immaculate_taste_refresher", scope, trigger=Trigger.CHAINED)
    locks.release(f"rows:{bea.account_id}:{movies.key}", token)
    free = run_sync("immaculate_taste_refresher", scope, trigger=Trigger.CHAINED)

    assert (busy.status, busy.reason_code) == ("failed", "rows_busy")
    assert "Bea's rows busy" in busy.reason
    assert free.status == "succeeded", free.reason
