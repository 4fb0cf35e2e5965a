"""A row reads only the fields of its dataset titles that its order needs (data.ROW_FIELDS),
and never one more query per title, with or without a plan on top (a refresher's activation
overlay, whose decay and updates touch points and status)."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from recommendations.datasets.activation import plan_activation
from recommendations.datasets.plans import plan_immaculate_points
from recommendations.models import (
    ImmaculateTasteTitle,
    LatestWatchedTitle,
    RecommendationSettings,
)
from recommendations.rows.data import row_keys

TODAY = date(2026, 3, 1)


def _titles(ava, library, n: int) -> None:
    now = timezone.now()
    for i in range(n):
        common = {"viewer": ava, "library": library, "media_type": "movie", "tmdb_id": 100 + i,
                  "title": f"T{i}", "rating_key": 1000 + i, "status": "active",
                  "vote_average": i % 10, "release_date": date(2026, 1 + i % 2, 1)}
        ImmaculateTasteTitle.objects.create(**common, points=5, first_suggested_at=now,
                                            last_suggested_at=now)
        LatestWatchedTitle.objects.create(**common, list_kind="recently_watched", position=i,
                                          suggested_at=now)


def _plan(ava, library):
    """A refresher's activation (nothing to activate here) and a points update that decays
    every active title by one."""
    return plan_activation(ava, library, "movie", rating_keys_for=lambda lib, ids: {}).merge(
        plan_immaculate_points(ava, library, "movie", []))


def _queries(kind, ava, library, overlay) -> tuple[int, list[int]]:
    with CaptureQueriesContext(connection) as queries:
        keys = row_keys(kind, ava, library, None, TODAY, rng_seed=7, overlay=overlay)
    reads = [q["sql"] for q in queries.captured_queries if "title\"" in q["sql"]
             and q["sql"].startswith("SELECT")]
    assert reads and not any('"why"' in sql or '"poster_path"' in sql for sql in reads)
    return len(queries.captured_queries), keys


@pytest.mark.parametrize("kind", ["immaculate_taste", "recently_watched"])
@pytest.mark.parametrize("with_plan", [False, True])
def test_a_rows_queries_do_not_grow_with_its_titles(ava, library, kind, with_plan):
    RecommendationSettings.load()  # made once, not counted
    _titles(ava, library, 5)
    small, keys = _queries(kind, ava, library, _plan(ava, library) if with_plan else None)
    assert sorted(keys) == list(range(1000, 1005))

    for model in (ImmaculateTasteTitle, LatestWatchedTitle):  # the same, 40 titles more
        model.objects.filter(viewer=ava).delete()
    _titles(ava, library, 45)
    large, keys = _queries(kind, ava, library, _plan(ava, library) if with_plan else None)

    limit = 45 if kind == "immaculate_taste" else RecommendationSettings.load().collection_limit
    assert set(keys) <= set(range(1000, 1045)) and len(keys) == min(45, limit)
    assert large == small
