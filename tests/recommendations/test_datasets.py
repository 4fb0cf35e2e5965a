"""Dataset operations: points updates, snapshots, activation; set-based and dry-runnable."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from recommendations.datasets import points
from recommendations.datasets.activation import activate_pending
from recommendations.datasets.plans import apply_immaculate_points, replace_latest_watched
from recommendations.datasets.resets import reject, rejected_ids
from recommendations.models import ImmaculateTasteTitle, LatestWatchedTitle, RejectedTitle
from tests.recommendations.conftest import make_pick

NOW = timezone.now()


def seed_rows(viewer, library, rows: dict[int, tuple[str, int]]) -> None:
    ImmaculateTasteTitle.objects.bulk_create([
        ImmaculateTasteTitle(viewer=viewer, library=library, media_type="movie", tmdb_id=i,
                             title=f"Title {i}", status=status, points=pts,
                             rating_key=i if status == "active" else None,
                             first_suggested_at=NOW, last_suggested_at=NOW)
        for i, (status, pts) in rows.items()])


def state(viewer, library) -> dict[int, tuple[str, int]]:
    rows = ImmaculateTasteTitle.objects.filter(viewer=viewer, library=library)
    return {r.tmdb_id: (r.status, r.points) for r in rows}


def test_apply_points_new_titles_active_in_plex_pending_otherwise(viewer, library):
    apply_immaculate_points(viewer, library, "movie",
                            [make_pick(1, rating_key=11), make_pick(2)], max_points=50)

    assert state(viewer, library) == {1: ("active", 50), 2: ("pending", 0)}
    row = ImmaculateTasteTitle.objects.get(tmdb_id=1)
    assert (row.rating_key, row.why, row.poster_path, str(row.release_date)) == \
        (11, "Because you watched Heat · TMDB recommends · crime", "/p1.jpg", "2001-02-03")


def test_apply_points_decays_removes_and_keeps_pending(viewer, library):
    seed_rows(viewer, library, {1: ("active", 5), 2: ("active", 1), 3: ("pending", 0),
                                4: ("active", 20)})

    changes = apply_immaculate_points(viewer, library, "movie", [make_pick(4, rating_key=4)],
                                      max_points=30)

    assert state(viewer, library) == {1: ("active", 4), 3: ("pending", 0), 4: ("active", 30)}
    assert (changes.decayed, [r["tmdb_id"] for r in changes.removed],
            [r["tmdb_id"] for r in changes.refreshed]) == (1, [2], [4])


def test_apply_points_resuggested_pending_now_in_plex_activates(viewer, library):
    seed_rows(viewer, library, {3: ("pending", 0), 5: ("pending", 0)})

    changes = apply_immaculate_points(viewer, library, "movie",
                                      [make_pick(3, rating_key=33), make_pick(5)], max_points=50)

    assert state(viewer, library) == {3: ("active", 50), 5: ("pending", 0)}
    assert ([r["tmdb_id"] for r in changes.activated],
            [r["tmdb_id"] for r in changes.pending]) == ([3], [5])


def test_apply_points_dry_run_counts_new_titles_missing_from_plex_as_pending(viewer, library):
    picks = [make_pick(1, rating_key=11)] + [make_pick(i) for i in range(2, 11)]

    changes = apply_immaculate_points(viewer, library, "movie", picks, dry_run=True,
                                      max_points=50)

    assert {k: changes.counts()[k] for k in ("created", "created_active", "created_pending",
                                             "pending", "refreshed", "activated")} == \
        {"created": 10, "created_active": 1, "created_pending": 9, "pending": 9,
         "refreshed": 0, "activated": 0}
    assert len(changes.kept_pending) == 9  # the name job reports count as "pending"
    assert ImmaculateTasteTitle.objects.count() == 0


def test_apply_points_dry_run_counts_match_the_real_run(viewer, library):
    seed_rows(viewer, library, {1: ("active", 5), 2: ("pending", 0), 3: ("active", 1)})
    picks = [make_pick(2), make_pick(4, rating_key=4), make_pick(5)]

    dry = apply_immaculate_points(viewer, library, "movie", picks, dry_run=True, max_points=9)
    real = apply_immaculate_points(viewer, library, "movie", picks, max_points=9)

    assert dry.counts() == real.counts() == {
        "created": 2, "created_active": 1, "created_pending": 1, "refreshed": 0,
        "activated": 0, "pending": 2, "decayed": 1, "removed": 1, "replaced": 0}
    assert state(viewer, library) == {1: ("active", 4), 2: ("pending", 0), 4: ("active", 9),
                                      5: ("pending", 0)}


def test_apply_points_dry_run_reports_and_writes_nothing(viewer, library):
    seed_rows(viewer, library, {1: ("active", 5), 2: ("active", 1)})
    before = state(viewer, library)

    changes = apply_immaculate_points(viewer, library, "movie",
                                      [make_pick(9, rating_key=9)], dry_run=True, max_points=50)

    assert state(viewer, library) == before
    assert (changes.dry_run, changes.created[0]["tmdb_id"], changes.decayed,
            changes.removed[0]["tmdb_id"]) == (True, 9, 1, 2)


def test_apply_points_only_touches_its_viewer_library_and_type(viewer, other_viewer, library):
    seed_rows(other_viewer, library, {1: ("active", 5)})

    apply_immaculate_points(viewer, library, "movie", [make_pick(2, rating_key=2)],
                            max_points=50)

    assert state(other_viewer, library) == {1: ("active", 5)}


def test_apply_points_changes_are_json_serialisable(viewer, library):
    import json

    changes = apply_immaculate_points(viewer, library, "movie", [make_pick(1)], max_points=50)

    assert json.loads(json.dumps(changes.as_dict()))["created"] == \
        [{"tmdb_id": 1, "title": "Title 1", "status": "pending"}]


@pytest.mark.parametrize("size", [10, 1000])
def test_apply_points_query_count_does_not_grow_with_dataset(
        viewer, library, size, django_assert_max_num_queries):
    seed_rows(viewer, library, {i: ("active", 1 + i % 3) if i % 4 else ("pending", 0)
                                for i in range(1, size + 1)})
    picks = [make_pick(i, rating_key=i) for i in (1, 2, 3, 5_000, 5_001)]

    with django_assert_max_num_queries(12):
        apply_immaculate_points(viewer, library, "movie", picks, max_points=50)

    assert state(viewer, library)[5_000] == ("active", 50)


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.dictionaries(st.integers(1, 30),
                       st.one_of(st.tuples(st.just("active"), st.integers(1, 6)),
                                 st.tuples(st.just("pending"), st.just(0))), max_size=15),
       st.dictionaries(st.integers(1, 30), st.booleans(), max_size=8))
def test_apply_points_database_follows_the_pure_rules(viewer, library, before, suggested):
    ImmaculateTasteTitle.objects.all().delete()
    seed_rows(viewer, library, before)
    picks = [make_pick(i, rating_key=i if in_plex else None) for i, in_plex in suggested.items()]

    apply_immaculate_points(viewer, library, "movie", picks, max_points=6)

    assert state(viewer, library) == points.update(before, suggested, 6)


def test_replace_latest_watched_replaces_the_snapshot(viewer, library):
    replace_latest_watched(viewer, library, "movie", [make_pick(1)], [make_pick(2)])

    changes = replace_latest_watched(viewer, library, "movie",
                                     [make_pick(3, rating_key=3), make_pick(4)], [make_pick(5)])

    rows = LatestWatchedTitle.objects.filter(viewer=viewer, library=library)
    assert [(r.list_kind, r.position, r.tmdb_id, r.status) for r in rows] == [
        ("change_of_taste", 1, 5, "pending"), ("recently_watched", 1, 3, "active"),
        ("recently_watched", 2, 4, "pending")]
    assert (changes.replaced, changes.counts()["created"], changes.counts()["pending"]) == \
        (2, 3, 2)


def test_replace_latest_watched_dry_run_writes_nothing(viewer, library):
    replace_latest_watched(viewer, library, "movie", [make_pick(1)], [])

    changes = replace_latest_watched(viewer, library, "movie", [make_pick(3)], [], dry_run=True)

    assert list(LatestWatchedTitle.objects.values_list("tmdb_id", flat=True)) == [1]
    assert (changes.replaced, changes.created[0]["tmdb_id"]) == (1, 3)


def test_activate_pending_uses_the_plex_index(viewer, library):
    from vault.models import PlexItem

    seed_rows(viewer, library, {1: ("pending", 0), 2: ("pending", 0), 3: ("active", 4)})
    replace_latest_watched(viewer, library, "movie", [make_pick(2)], [])
    PlexItem.objects.create(library=library, rating_key=222, kind="movie", title="Two",
                            tmdb_id=2)

    changes = activate_pending(viewer, library, "movie", max_points=40)

    assert state(viewer, library) == {1: ("pending", 0), 2: ("active", 40), 3: ("active", 4)}
    assert LatestWatchedTitle.objects.get(tmdb_id=2).rating_key == 222
    assert sorted(r["dataset"] for r in changes.activated) == \
        ["immaculatetastetitle", "latestwatchedtitle"]


def test_activate_pending_matches_legacy_agent_items_by_imdb_id(
        viewer, library, django_assert_max_num_queries):
    from vault.models import PlexItem

    apply_immaculate_points(viewer, library, "movie",
                            [make_pick(1, imdb_id="tt0113277"), make_pick(2, imdb_id="tt1")],
                            max_points=50)
    replace_latest_watched(viewer, library, "movie", [make_pick(1, imdb_id="tt0113277")], [])
    PlexItem.objects.create(library=library, rating_key=321, kind="movie", title="Heat",
                            tmdb_id=None, imdb_id="tt0113277")

    with django_assert_max_num_queries(8):
        changes = activate_pending(viewer, library, "movie", max_points=40)

    assert state(viewer, library) == {1: ("active", 40), 2: ("pending", 0)}
    assert (ImmaculateTasteTitle.objects.get(tmdb_id=1).rating_key,
            LatestWatchedTitle.objects.get(tmdb_id=1).rating_key) == (321, 321)
    assert len(changes.activated) == 2


def test_activate_pending_dry_run_writes_nothing(viewer, library):
    seed_rows(viewer, library, {1: ("pending", 0)})

    changes = activate_pending(viewer, library, "movie", dry_run=True,
                               rating_keys_for=lambda lib, ids: {1: 100})

    assert state(viewer, library) == {1: ("pending", 0)}
    assert changes.activated == [{"tmdb_id": 1, "title": "Title 1",
                                  "dataset": "immaculatetastetitle"}]


def test_reject_adds_to_the_viewers_rejected_list(viewer, other_viewer, library):
    seed_rows(viewer, library, {1: ("active", 3)})

    reject(viewer, "movie", 1, "Title 1")

    assert (rejected_ids(viewer, "movie"), rejected_ids(other_viewer, "movie")) == ({1}, set())
    assert ImmaculateTasteTitle.objects.get(tmdb_id=1).approval == "rejected"
    assert RejectedTitle.objects.count() == 1


def test_apply_points_first_suggested_kept_last_suggested_moves(viewer, library):
    apply_immaculate_points(viewer, library, "movie", [make_pick(1, rating_key=1)],
                            max_points=5, now=NOW)
    later = NOW + timedelta(days=1)

    apply_immaculate_points(viewer, library, "movie", [make_pick(1, rating_key=1)],
                            max_points=5, now=later)

    row = ImmaculateTasteTitle.objects.get(tmdb_id=1)
    assert (row.first_suggested_at, row.last_suggested_at) == (NOW, later)


def test_apply_points_same_query_count_for_10_and_1000_rows(viewer, other_viewer, library):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for who, size in ((viewer, 10), (other_viewer, 1000)):
        seed_rows(who, library, {i: ("active", 2) for i in range(1, size + 1)})
        with CaptureQueriesContext(connection) as queries:
            apply_immaculate_points(who, library, "movie", [make_pick(1, rating_key=1)],
                                    max_points=50)
        counts.append(len(queries))

    assert counts[0] == counts[1]
