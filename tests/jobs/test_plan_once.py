"""Every job plans once and applies that plan: no database transaction is open while it talks
to any server, and its dry run shows exactly what the real run then does."""

from __future__ import annotations

import pytest
from django.db import connection

from jobs import registry
from jobs.context import Scope
from jobs.models import Trigger
from recommendations.models import ImmaculateTasteTitle, LatestWatchedTitle
from tests.jobs.test_jobdefs import a_seed
from tests.jobs.test_plex_down_mid_run import pending_title_arrives_in_plex, run_sync
from vault.clients import http

JOBS = ("immaculate_taste", "immaculate_taste_refresher", "latest_watched",
        "latest_watched_refresher", "fresh_out_of_the_oven")


def seed_of(stack) -> dict:
    return {"rating_key": str(a_seed(stack).rating_key), "media_type": "movie"}


def bea_movies(stack) -> Scope:
    return Scope.of(stack["viewers"]["bea"], stack["libraries"]["1"], "movie")


def prepare(stack, key: str) -> tuple[Scope, dict]:
    """State on which `key` has something to do: (scope, dispatch kwargs)."""
    scope = bea_movies(stack)
    if key.endswith("_refresher"):
        first = key.removesuffix("_refresher")
        assert run_sync(first, scope, seed=seed_of(stack)).status == "succeeded"
        arrives_pending(stack, first)
        return Scope(), {}
    if key == "fresh_out_of_the_oven":
        return Scope(), {}
    return scope, {"seed": seed_of(stack)}


def arrives_pending(stack, dataset: str) -> None:
    """A pending title of the dataset arrives in Plex, so the refresher activates it."""
    if dataset == "immaculate_taste":
        pending_title_arrives_in_plex(stack)
        return
    from vault.clients.factory import plex_server
    from vault.mirror import reader

    pending = LatestWatchedTitle.objects.filter(status="pending").order_by("tmdb_id").first()
    stack["plex"].add_item(1, stack["catalog"].get("movie", pending.tmdb_id))
    reader.index_library(plex_server(), stack["libraries"]["1"], full=True)


def test_the_jobs_list_is_the_registry():
    assert set(JOBS) <= set(registry.REGISTRY)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("key", JOBS)
def test_job_sends_no_http_request_inside_a_transaction(stack, monkeypatch, key):
    scope, kwargs = prepare(stack, key)
    seen = []
    check = http.before_request

    def record(service, method, url):
        seen.append((service, method, url.split("?")[0], connection.in_atomic_block))
        check(service, method, url)

    monkeypatch.setattr(http, "before_request", record)

    run = run_sync(key, scope, trigger=Trigger.CHAINED if key.endswith("_refresher") else
                   Trigger.MANUAL, **kwargs)

    assert run.status == "succeeded", run.reason
    assert {s for s, *_ in seen} >= {"plex"}
    assert [r for r in seen if r[3]] == []


def comparable(run) -> dict:
    """What a run changes: its Plex plan lines (minus request counts) and dataset changes."""
    report = run.report
    plan = [{k: v for k, v in p.items() if k not in ("requests", "error")}
            for p in report["plan"]]
    raw = report.get("raw") or {}
    changes = {k: {f: v for f, v in d.items() if f != "dry_run"}
               for k, d in raw.items() if k.startswith("dataset ")}
    steps = {s["name"].removesuffix(" (dry run)").removesuffix(" (plan)"): s["counts"]
             for s in report["steps"] if not s["name"].startswith(("rows", "plex index"))}
    return {"plan": plan, "changes": changes, "steps": steps}


def what_it_does(run) -> dict:
    """A seeded collection job's rows are built by its chained refresher."""
    mine = comparable(run)
    for child in run.children.all():
        mine["plan"] += comparable(child)["plan"]
    return mine


@pytest.mark.parametrize("key", JOBS)
def test_job_dry_run_shows_what_the_real_run_does(stack, key):
    scope, kwargs = prepare(stack, key)
    trigger = Trigger.CHAINED if key.endswith("_refresher") else Trigger.MANUAL
    before = (list(ImmaculateTasteTitle.objects.values()), list(LatestWatchedTitle.objects
                                                                .values()))
    dry = run_sync(key, scope, trigger=trigger, dry_run=True, **kwargs)
    assert dry.status == "succeeded", dry.reason
    assert (list(ImmaculateTasteTitle.objects.values()),
            list(LatestWatchedTitle.objects.values())) == before
    stack["plex"].clear()

    real = run_sync(key, scope, trigger=trigger, **kwargs)

    assert real.status == "succeeded", real.reason
    expected, done = comparable(dry), what_it_does(real)
    assert expected["plan"] and expected["plan"] == done["plan"]
    assert expected["changes"] == done["changes"]
    assert {k: v for k, v in expected["steps"].items() if k in done["steps"]} == \
        {k: v for k, v in done["steps"].items() if k in expected["steps"]}


def test_refresher_poster_ledger_keeps_a_row_plex_accepted_before_a_later_row_failed(stack):
    from recommendations.models import RowPosterUpload
    from tests.fakes.base import Response

    plex = stack["plex"]
    answer, creates = plex.dispatch, []

    def second_create_fails(req):  # the first row is created, poster and all; then a 500
        if req.method == "POST" and req.path.rstrip("/") == "/library/collections":
            creates.append(req.path)
            if len(creates) == 2:
                return Response(500, plex.error_body(500))
        return answer(req)

    plex.dispatch = second_create_fails
    try:
        run = run_sync("latest_watched", bea_movies(stack), seed=seed_of(stack))
    finally:
        del plex.dispatch

    refresher = run.children.get()
    assert refresher.status == "failed" and "Plex" in refresher.reason, refresher.reason
    with plex.lock:
        made = [c.rating_key for c in plex.collections.values()]
    assert len(creates) >= 2 and len(made) == len(creates) - 1
    assert sorted(RowPosterUpload.objects.values_list("collection_rating_key", flat=True)) == \
        sorted(made)


@pytest.mark.parametrize(("key", "own_rows", "own", "other"), [
    ("immaculate_taste_refresher", ["Inspired by your Immaculate Taste (Bea)"],
     ImmaculateTasteTitle, LatestWatchedTitle),
    ("latest_watched_refresher", ["Based on your recently watched movie (Bea)",
                                  "Change of Taste (Bea)"],
     LatestWatchedTitle, ImmaculateTasteTitle),
])
def test_refresher_refreshes_its_own_dataset_and_rows_only(stack, key, own_rows, own, other):
    scope = bea_movies(stack)
    for first in ("immaculate_taste", "latest_watched"):
        assert run_sync(first, scope, seed=seed_of(stack)).status == "succeeded"
    arrives_pending(stack, "immaculate_taste")
    arrives_pending(stack, "latest_watched")
    pending = {m: set(m.objects.filter(status="pending").values_list("pk", flat=True))
               for m in (own, other)}

    run = run_sync(key, scope, trigger=Trigger.CHAINED)

    assert run.status == "succeeded", run.reason
    assert [p["row"] for p in run.report["plan"]] == own_rows
    assert set(other.objects.filter(status="pending").values_list("pk", flat=True)) \
        == pending[other]
    still = set(own.objects.filter(status="pending").values_list("pk", flat=True))
    assert still < pending[own]  # the arrived title was activated


@pytest.mark.django_db(transaction=True)
def test_plex_row_write_held_30s_job_lives_beats_and_other_writes_pass(stack, settings):
    from jobs import maintenance
    from jobs.models import JobRun
    from tests.jobs.slowplex import run_with_slow_row_write

    settings.VAULT_HTTP_TIMEOUT = 45  # Plex answers after 30 s: the run must complete
    settings.JOBS_HEARTBEAT_SECONDS, settings.JOBS_STALE_SECONDS = 1, 4
    swept = []

    seen = run_with_slow_row_write(
        stack["plex"], "latest_watched", bea_movies(stack), 30,
        watch=lambda s: swept.extend(maintenance.sweep()), seed=seed_of(stack))

    run = JobRun.objects.get(pk=seen.run_id)
    refresher = run.children.get()
    assert (run.status, refresher.status) == ("succeeded", "succeeded"), refresher.reason
    assert seen.held[0] >= 29.9 and seen.watched_s >= 29
    assert swept == [] and seen.statuses == {"running"}
    assert seen.write_wait_s < 1.0
    beats = sorted(set(seen.heartbeats))
    assert len(beats) >= 20  # a beat a second through the 30 s call
