"""A standalone sweep reads each section about once for all its viewers, and Fresh Out Of The
Oven touches only its own row (in-process, against the Plex and TMDB doubles)."""

from __future__ import annotations

import pytest

from jobs.context import Scope
from tests.jobs.test_jobdefs import collections
from tests.jobs.test_plex_down_mid_run import run_sync, seeded_once

pytestmark = pytest.mark.django_db

LISTING = r"/library/sections/\d+/all"
HUBS = r"/hubs/sections/\d+/manage"


def test_a_refresher_sweep_reads_each_section_once_not_once_per_viewer(stack):
    seeded_once(stack)
    plex = stack["plex"]
    plex.clear()

    run = run_sync("immaculate_taste_refresher", Scope())

    assert run.status == "succeeded", run.reason
    pairs = [s for s in run.report["scopes"] if s["status"] == "ok"]
    libraries = {s["scope"].split(" · ")[1] for s in pairs}
    assert len(pairs) > len(libraries)  # several viewers share each library
    assert plex.count("GET", HUBS) == len(libraries)
    collection_listings = [r for r in plex.requests
                           if r.method == "GET" and r.query.get("type") == "18"]
    assert len(collection_listings) == len(libraries)


def test_fresh_out_reads_and_writes_only_its_own_rows(stack):
    seeded_once(stack)
    plex = stack["plex"]
    before = {t: items for t, items in collections(plex).items() if "Fresh Out" not in t}
    ours = set()
    with plex.lock:
        ours = {rk for rk, c in plex.collections.items() if "Fresh Out" not in c.title}
    plex.clear()

    run = run_sync("fresh_out_of_the_oven", Scope())

    assert run.status == "succeeded", run.reason
    read = {int(r.path.split("/")[3]) for r in plex.requests if "/children" in r.path}
    assert not read & ours  # the other jobs' rows are neither read ...
    assert {t: i for t, i in collections(plex).items() if "Fresh Out" not in t} == before
    assert any("Fresh Out Of The Oven" in t for t in collections(plex))  # ... nor changed


def test_a_sweep_keeps_each_scopes_row_outcomes_not_their_diffs(stack):
    import json

    from jobs.templatetags.runreport import plan_lines

    run = run_sync("immaculate_taste_refresher", Scope())  # no titles yet: no row made

    assert run.status == "succeeded", run.reason
    raw = {k: v for k, v in run.report["raw"].items() if k.startswith("rows ")}
    assert raw and all(len(json.dumps(v)) < 2_000 for v in raw.values())
    assert all(set(row) == {"title", "kind", "action", "collection", "items", "ok", "error"}
               for v in raw.values() for row in v["rows"])
    lines = plan_lines(run.report)
    assert lines and all(line["action_words"] == "not created: no titles yet"
                         for line in lines if line["action"] == "keep")


def test_fresh_out_reads_each_librarys_fresh_titles_once(stack):
    """The titles it lists are the row it syncs, and every viewer of a library has the same
    fresh titles: one read of the mirror's per library and run (the row sync read them again
    for each pair, and each pair read them for itself)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    seeded_once(stack)

    with CaptureQueriesContext(connection) as queries:
        run = run_sync("fresh_out_of_the_oven", Scope())

    assert run.status == "succeeded", run.reason
    pairs = [s for s in run.report["scopes"] if s["status"] == "ok"]
    fresh_reads = [q["sql"] for q in queries.captured_queries
                   if "originally_available_at" in q["sql"] and "vault_plexitem" in q["sql"]
                   and "ORDER BY" in q["sql"]]
    libraries = {s["scope"].rsplit(" · ", 1)[-1] for s in pairs}  # "Bea · Movies"
    assert len(pairs) > len(libraries) and len(fresh_reads) == len(libraries)
    assert any("Fresh Out Of The Oven" in t for t in collections(stack["plex"]))


def test_a_scheduled_sweep_keeps_rows_read_back_lately_unread_and_run_now_reads_them(stack):
    """Nothing changed: the scheduled sweep reads no row whose order a whole read showed
    lately (and Plex lists as many items); an admin's Run now reads and checks every one."""
    from jobs.models import Trigger

    seeded_once(stack)
    plex = stack["plex"]
    first = run_sync("immaculate_taste_refresher", Scope(), trigger=Trigger.SCHEDULE)
    assert first.status == "succeeded", first.reason
    rows = [rk for rk, c in plex.collections.items() if "Immaculate Taste" in c.title]
    plex.clear()

    scheduled = run_sync("immaculate_taste_refresher", Scope(), trigger=Trigger.SCHEDULE)

    assert scheduled.status == "succeeded", scheduled.reason
    assert rows and plex.count("GET", r"/library/collections/\d+/children") == 0
    assert plex.writes() == 0
    plex.clear()

    manual = run_sync("immaculate_taste_refresher", Scope(), trigger=Trigger.MANUAL)

    assert manual.status == "succeeded", manual.reason
    read = {int(r.path.split("/")[3]) for r in plex.requests if "/children" in r.path}
    assert read == set(rows) and plex.writes() == 0
