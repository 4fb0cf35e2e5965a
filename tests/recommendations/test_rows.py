"""Rows built from the datasets and synced for a viewer and a library, against the Plex double."""

import os

os.environ.setdefault("PLEXAPI_CONFIG_PATH", os.devnull)

import json  # noqa: E402
from datetime import date, timedelta  # noqa: E402

import pytest  # noqa: E402
from django.utils import timezone  # noqa: E402

from recommendations.models import (  # noqa: E402
    ImmaculateTasteTitle,
    LatestWatchedTitle,
    RecommendationSettings,
    RowPoster,
    RowPosterUpload,
)
from recommendations.rows.posters import render_poster
from recommendations.rows.sync import desired_rows, sync_viewer_rows
from tests.recommendations.plexdouble import movie_keys, row_doubles  # noqa: E402
from vault.models import PlexItem, PlexLibrary  # noqa: E402

TODAY = date(2026, 3, 1)


double, plex, server = row_doubles(n_movies=300, n_shows=20, seed=515)


@pytest.fixture(scope="module")
def keys(server):
    return movie_keys(server)


@pytest.fixture
def movies(db):
    return PlexLibrary.objects.create(key="1", kind="movie", title="Movies")


def add_titles(viewer, library, keys, model=ImmaculateTasteTitle, **extra):
    now = timezone.now()
    for n, key in enumerate(keys):
        fields = dict(viewer=viewer, library=library, media_type="movie", tmdb_id=9000 + key,
                      title=f"Title {key}", rating_key=str(key), status="active",
                      vote_average=4 + n % 5, release_date=date(2001 + n % 20, 1, 1))
        if model is ImmaculateTasteTitle:
            fields.update(points=10, first_suggested_at=now, last_suggested_at=now)
        else:
            fields.update(position=n, suggested_at=now)
        model.objects.create(**(fields | extra))


@pytest.fixture
def datasets(ava, bea, movies, keys):
    add_titles(ava, movies, keys[:25])
    add_titles(ava, movies, keys[25:30], status="pending", rating_key=None)  # never in a row
    add_titles(ava, movies, keys[30:50], LatestWatchedTitle, list_kind="recently_watched")
    add_titles(ava, movies, keys[50:55], LatestWatchedTitle, list_kind="change_of_taste")
    add_titles(bea, movies, keys[60:70])
    return keys


def test_desired_rows_use_active_titles_cap_latest_watched_and_name_the_viewer(
        datasets, ava, movies):
    RecommendationSettings.objects.update_or_create(pk=1, defaults={"collection_limit": 12})

    rows = {r.kind: r for r in desired_rows(ava, movies, today=TODAY)}

    assert list(rows) == ["recently_watched", "change_of_taste", "immaculate_taste"]
    assert rows["recently_watched"].title == "Based on your recently watched movie (Ava)"
    assert set(rows["recently_watched"].rating_keys) == set(datasets[30:42])  # capped by position
    assert set(rows["change_of_taste"].rating_keys) == set(datasets[50:55])
    assert set(rows["immaculate_taste"].rating_keys) == set(datasets[:25])  # uncapped, active
    assert rows["immaculate_taste"].pins == (True, True, False)


def test_desired_rows_are_stable_within_a_day(datasets, bea, movies):
    first = desired_rows(bea, movies, today=TODAY)
    again = desired_rows(bea, movies, today=TODAY)

    assert [r.rating_keys for r in first] == [r.rating_keys for r in again]
    assert first[2].pins == (False, False, True)


def test_sync_builds_each_viewers_rows_with_pins_hubs_and_posters(datasets, plex, server,
                                                                  ava, bea, movies):
    report_ava = sync_viewer_rows(server, ava, movies, today=TODAY)
    report_bea = sync_viewer_rows(server, bea, movies, today=TODAY)

    assert report_ava.ok and report_bea.ok, (report_ava.errors, report_bea.errors)
    for viewer, report, pins in ((ava, report_ava, (True, True, False)),
                                 (bea, report_bea, (False, False, True))):
        for entry, row in zip([r for r in report.rows if r["items"]],
                              [r for r in desired_rows(viewer, movies, server, TODAY)
                               if r.rating_keys], strict=True):
            col = plex.collection_by_title(1, row.title)
            assert plex.collection_view(col.rating_key) == row.rating_keys
            assert plex.collection_sort(col.rating_key) == 2
            hub = next(h for h in plex.hubs(1) if h["collection"] == col.rating_key)
            assert (hub["promotedToRecommended"], hub["promotedToOwnHome"],
                    hub["promotedToSharedHome"]) == pins
            assert plex.poster(col.rating_key) == render_poster(row.kind, viewer.name)
            assert entry["action"] == "create"
    titles = [h["title"] for h in plex.hubs(1) if h["collection"]]
    assert titles == ["Based on your recently watched movie (Ava)", "Change of Taste (Ava)",
                      "Inspired by your Immaculate Taste (Ava)",
                      "Inspired by your Immaculate Taste (Bea)"]
    assert RowPosterUpload.objects.count() == 4


def test_second_sync_with_nothing_changed_makes_no_write(datasets, plex, server, ava, movies):
    sync_viewer_rows(server, ava, movies, today=TODAY)
    plex.clear()

    report = sync_viewer_rows(server, ava, movies, today=TODAY)

    assert plex.writes() == 0 and report.writes == 0
    assert [r["action"] for r in report.rows] == ["keep", "keep", "keep", "keep"]
    assert json.loads(json.dumps(report.as_dict()))["ok"] is True


def test_dry_run_reports_the_diff_and_writes_nothing(datasets, plex, server, ava, movies):
    PlexItem.objects.create(library=movies, rating_key=datasets[0], kind="movie",
                            title="Heat", year=1995)

    report = sync_viewer_rows(server, ava, movies, dry_run=True, today=TODAY)

    immaculate = next(r for r in report.rows if r["kind"] == "immaculate_taste")
    assert plex.writes() == 0 and plex.collections == {}
    assert immaculate["action"] == "create" and immaculate["poster"] == "upload"
    assert {"rating_key": datasets[0], "title": "Heat (1995)"} in immaculate["added"]
    assert immaculate["pins"]["to"]["home"] is True


def test_excluded_library_and_unmonitored_viewer_are_never_written(datasets, plex, server,
                                                                   ava, bea, movies):
    movies.selected = False
    movies.save()
    excluded = sync_viewer_rows(server, ava, movies, today=TODAY)
    movies.selected = True
    movies.save()
    bea.monitored = False
    bea.save()

    unmonitored = sync_viewer_rows(server, bea, movies, today=TODAY)

    assert (excluded.skipped, unmonitored.skipped) == ("library_excluded", "viewer_not_monitored")
    assert plex.count() == 0 and plex.collections == {}


def test_fresh_out_holds_recent_unwatched_titles_pinned_like_every_admin_row(datasets, plex, server,
                                                                  ava, movies):
    for n, key in enumerate(datasets[80:83]):
        PlexItem.objects.create(library=movies, rating_key=key, kind="movie", title=f"F{n}",
                                originally_available_at=TODAY - timedelta(days=5 + n))
    PlexItem.objects.create(library=movies, rating_key=datasets[84], kind="movie", title="Old",
                            originally_available_at=TODAY - timedelta(days=400))

    sync_viewer_rows(server, ava, movies, today=TODAY)

    col = plex.collection_by_title(1, "Fresh Out Of The Oven (Ava)")
    assert plex.collection_items(col.rating_key) == datasets[80:83]  # newest release first
    hub = next(h for h in plex.hubs(1) if h["collection"] == col.rating_key)
    assert (hub["promotedToRecommended"], hub["promotedToOwnHome"],
            hub["promotedToSharedHome"]) == (True, True, False)


def test_custom_poster_replaces_the_artwork_and_is_uploaded_once(datasets, plex, server,
                                                                 ava, movies):
    sync_viewer_rows(server, ava, movies, today=TODAY)
    RowPoster.objects.create(kind="change_of_taste", image=b"\x89PNG custom", sha256="x",
                             content_type="image/png", width=600, height=900, stamp_name=False)
    plex.clear()

    sync_viewer_rows(server, ava, movies, today=TODAY)
    sync_viewer_rows(server, ava, movies, today=TODAY)

    col = plex.collection_by_title(1, "Change of Taste (Ava)")
    assert plex.poster(col.rating_key) == b"\x89PNG custom"
    assert plex.writes() == 1


def test_failed_create_is_reported_with_the_reason(datasets, plex, server, ava, movies):
    plex.fault(status=500, path=r"^/library/collections/?$", method="POST", count=None)

    report = sync_viewer_rows(server, ava, movies, today=TODAY)

    plex.faults.clear()
    assert not report.ok and {e["step"] for e in report.errors} == {"create collection"}
    assert all("Plex" in r["error"] for r in report.rows if r["items"])
    assert plex.collections == {}


def test_next_days_reshuffle_changes_only_the_order(datasets, plex, server, ava, movies):
    sync_viewer_rows(server, ava, movies, today=TODAY)
    plex.clear()
    sync_viewer_rows(server, ava, movies, today=TODAY)
    same_day_writes = plex.writes()
    plex.clear()

    report = sync_viewer_rows(server, ava, movies, today=TODAY + timedelta(days=1))

    rows = [r for r in report.rows if r["items"]]
    assert same_day_writes == 0 and report.ok
    assert [(r["added"], r["removed"]) for r in rows] == [([], [])] * 3
    for r in rows:  # moves (n - LIS) and one read-back, unless a rebuild costs fewer requests
        if r["action"] == "update":
            assert r["estimated_requests"] == r["moves"] + 1 == r["requests"]
        else:
            assert r["action"] == "recreate"
            assert r["estimated_requests"] < r["alternative"]["estimated_requests"]
    assert plex.count("PUT", r"/items$") == 0 and plex.count("DELETE", r"/items/") == 0
    for row in desired_rows(ava, movies, server, TODAY + timedelta(days=1)):
        if row.rating_keys:
            col = plex.collection_by_title(1, row.title)
            assert plex.collection_view(col.rating_key) == row.rating_keys


def test_excluded_library_gets_no_write_and_unmonitored_viewer_no_row(datasets, plex, server,
                                                                      ava, bea, movies):
    kids = PlexLibrary.objects.create(key="3", kind="movie", title="Kids Movies", selected=False)
    kid_keys = [int(el.get("ratingKey")) for el in server.query("/library/sections/3/all")]
    add_titles(ava, kids, kid_keys[:8])
    bea.monitored = False
    bea.save()
    plex.clear()

    reports = [sync_viewer_rows(server, viewer, library, today=TODAY)
               for viewer in (ava, bea) for library in (movies, kids)]

    writes = [r for r in plex.requests if r.method not in ("GET", "HEAD")]
    section_1 = {c.rating_key for c in plex.collections.values() if c.section == 1}
    assert [r.skipped for r in reports] == ["", "library_excluded", "viewer_not_monitored",
                                            "library_excluded"]
    assert writes and all(_section_of(r, section_1) == 1 for r in writes)
    assert not [r for r in plex.requests if "/sections/3" in r.path]
    assert {c.section for c in plex.collections.values()} == {1}
    assert all(c.title.endswith("(Ava)") for c in plex.collections.values())


def _section_of(request, section_1: set[int]) -> int | None:
    """The library a write touched: by its sectionId, hub path or collection key."""
    if "sectionId" in request.query:
        return int(request.query["sectionId"])
    parts = request.path.strip("/").split("/")
    if parts[:2] == ["hubs", "sections"]:
        return int(parts[2])
    on_item = parts[0] == "library" and parts[1] in ("collections", "metadata")
    key = int(parts[2]) if on_item else None
    return 1 if key in section_1 else None


def test_rejected_title_leaves_the_viewers_rows_at_the_next_sync(datasets, plex, server, ava,
                                                                 movies):
    from recommendations.datasets.resets import reject

    sync_viewer_rows(server, ava, movies, today=TODAY)
    title = ImmaculateTasteTitle.objects.filter(viewer=ava, status="active").order_by(
        "tmdb_id").first()
    col = plex.collection_by_title(1, "Inspired by your Immaculate Taste (Ava)")
    assert title.rating_key in plex.collection_items(col.rating_key)

    reject(ava, "movie", title.tmdb_id, title.title)
    report = sync_viewer_rows(server, ava, movies, today=TODAY)

    assert report.ok, report.errors
    col = plex.collection_by_title(1, "Inspired by your Immaculate Taste (Ava)")
    assert col.items and title.rating_key not in plex.collection_items(col.rating_key)
    assert all(title.rating_key not in row.rating_keys
               for row in desired_rows(ava, movies, server, TODAY))
    assert ImmaculateTasteTitle.objects.get(pk=title.pk).points == title.points  # still there

