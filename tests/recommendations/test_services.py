"""recommendations.engine.api wired to the Vault: integrations on the doubles, the TMDB cache,
the request budget, rejected and watched titles, the library index."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from recommendations.datasets import plans
from recommendations.datasets.resets import reject
from recommendations.engine import api
from recommendations.engine.tmdbcache import BudgetExhausted, CachedTmdb
from recommendations.models import ImmaculateTasteTitle, RecommendationSettings, TmdbCacheEntry
from recommendations.types import Seed
from tests.recommendations.test_engine import double_picks
from vault import integrations
from vault.models import PlexItem


@pytest.fixture
def vault_on_doubles(db, settings, tmdb_double, openai_double):
    settings.VAULT_HTTP_RETRIES = 0
    settings.VAULT_HTTP_TIMEOUT = 1
    integrations.save("tmdb", True, {"api_key": tmdb_double.api_key})
    return tmdb_double


@pytest.fixture
def with_openai(vault_on_doubles, openai_double):
    integrations.save("openai", True, {"api_key": openai_double.api_key,
                                       "model": openai_double.models[0],
                                       "base_url": openai_double.base})
    return openai_double


@pytest.fixture
def seed(catalog):
    return next(m for m in catalog.movies if not m.upcoming and m.in_plex)


def index_plex(library, catalog):
    PlexItem.objects.bulk_create([
        PlexItem(library=library, rating_key=50_000 + m.tmdb_id, kind="movie", title=m.title,
                 year=m.year, tmdb_id=m.tmdb_id) for m in catalog.movies if m.in_plex])


def test_suggest_uses_the_dials_and_honours_the_mix(vault_on_doubles, viewer, library, seed):
    RecommendationSettings.objects.update_or_create(
        pk=1, defaults={"suggestions_per_run": 8, "upcoming_percent": 50})

    result = api.suggest(viewer, library, "movie", Seed(title=seed.title, year=seed.year))

    buckets = [p.bucket for p in result.picks]
    assert (len(buckets), buckets.count("released"), buckets.count("upcoming")) == (8, 4, 4)
    assert {k: c.status for k, c in result.breakdown.items()} == \
        {"tmdb": "ok", "openai": "not enabled", "google": "not enabled"}


def test_suggest_leaves_out_rejected_and_watched(vault_on_doubles, viewer, library, seed):
    first = api.suggest(viewer, library, "movie", Seed(tmdb_id=seed.tmdb_id))
    rejected = [p.tmdb_id for p in first.picks[:3]]
    for tmdb_id in rejected:
        reject(viewer, "movie", tmdb_id)
    watched = {p.tmdb_id for p in first.picks[3:6]}

    again = api.suggest(viewer, library, "movie", Seed(tmdb_id=seed.tmdb_id),
                             watched=watched)

    assert len(again.picks) == 10
    assert not {p.tmdb_id for p in again.picks} & (set(rejected) | watched)
    assert all(p.why for p in again.picks)


def test_suggest_takes_rating_keys_from_the_plex_index(vault_on_doubles, viewer, library,
                                                      seed, catalog):
    index_plex(library, catalog)

    result = api.suggest(viewer, library, "movie", Seed(tmdb_id=seed.tmdb_id))

    assert [p.rating_key for p in result.picks] == [
        50_000 + p.tmdb_id if catalog.get("movie", p.tmdb_id).in_plex else None
        for p in result.picks]


def test_suggest_matches_legacy_agent_items_by_imdb_id(vault_on_doubles, viewer, library,
                                                       seed, catalog):
    PlexItem.objects.bulk_create([  # every Plex item known by its IMDb id only
        PlexItem(library=library, rating_key=60_000 + m.tmdb_id, kind="movie", title=m.title,
                 year=m.year, tmdb_id=None, imdb_id=m.imdb_id)
        for m in catalog.movies if m.in_plex])

    result = api.suggest(viewer, library, "movie", Seed(tmdb_id=seed.tmdb_id))

    assert [p.rating_key for p in result.picks] == [
        60_000 + p.tmdb_id if catalog.get("movie", p.tmdb_id).in_plex else None
        for p in result.picks]
    assert any(p.rating_key for p in result.picks)
    assert all(p.imdb_id == catalog.get("movie", p.tmdb_id).imdb_id for p in result.picks)


def test_suggest_without_legacy_items_asks_no_details_for_picks(vault_on_doubles, viewer,
                                                               library, seed, catalog):
    index_plex(library, catalog)

    result = api.suggest(viewer, library, "movie", Seed(tmdb_id=seed.tmdb_id))

    assert vault_on_doubles.count("GET", r"^/3/movie/\d+$") == 1  # the seed's own details
    assert all(p.imdb_id is None for p in result.picks)


def test_suggest_plex_item_seed_resolves_by_its_tmdb_guid(vault_on_doubles, viewer, library,
                                                         seed, tmdb_double):
    item = PlexItem.objects.create(library=library, rating_key=77, kind="movie",
                                   title="Something else", tmdb_id=seed.tmdb_id)

    result = api.suggest(viewer, library, "movie", item)

    assert (result.seed.tmdb_id, result.seed.resolved_by, result.seed.rating_key) == \
        (seed.tmdb_id, "tmdb guid", 77)
    assert tmdb_double.count("GET", r"^/3/search/") == 0


def test_suggest_with_openai_enabled_uses_its_picks(with_openai, viewer, library, seed):
    result = api.suggest(viewer, library, "movie", Seed(tmdb_id=seed.tmdb_id))

    assert [p.tmdb_id for p in result.picks] == double_picks(with_openai)
    assert result.breakdown["openai"].status == "ok"


def test_suggest_openai_garbage_falls_back_and_says_failed(with_openai, viewer, library, seed):
    with_openai.mode = "garbage"

    result = api.suggest(viewer, library, "movie", Seed(tmdb_id=seed.tmdb_id))

    assert len(result.picks) == 10
    assert all(p.chosen_by == "ranking" for p in result.picks)
    assert result.breakdown["openai"].status.startswith("failed: ")
    assert result.as_dict()["breakdown"]["openai"]["status"] == \
        "failed: answer is not the requested JSON"


def test_suggest_repeated_seed_is_served_from_the_cache(vault_on_doubles, viewer, library,
                                                       seed):
    first = api.suggest(viewer, library, "movie", Seed(tmdb_id=seed.tmdb_id))
    vault_on_doubles.clear()

    again = api.suggest(viewer, library, "movie", Seed(tmdb_id=seed.tmdb_id))

    assert first.breakdown["tmdb"].requests > 0
    assert (vault_on_doubles.count(), again.breakdown["tmdb"].requests) == (0, 0)
    assert [p.tmdb_id for p in again.picks] == [p.tmdb_id for p in first.picks]


def test_suggest_budget_caps_tmdb_requests(vault_on_doubles, viewer, library, seed):
    RecommendationSettings.objects.update_or_create(pk=1, defaults={"tmdb_request_budget": 3})

    result = api.suggest(viewer, library, "movie", Seed(tmdb_id=seed.tmdb_id))

    assert (vault_on_doubles.count(), result.breakdown["tmdb"].requests) == (3, 3)
    assert "TMDB discover page 1: TMDB request budget of 3 spent" in result.notes
    assert len(result.picks) == 10  # recommendations and similar were enough


def test_suggest_without_tmdb_reports_not_enabled(db, viewer, library):
    result = api.suggest(viewer, library, "movie", ("Heat", 1995))

    assert result.picks == [] and result.breakdown["tmdb"].status == "not enabled"


def test_suggest_then_points_update_keeps_pending_and_active(vault_on_doubles, viewer, library,
                                                            seed, catalog):
    index_plex(library, catalog)
    result = api.suggest(viewer, library, "movie", Seed(tmdb_id=seed.tmdb_id))

    plans.apply_immaculate_points(viewer, library, "movie", result.picks)

    rows = {r.tmdb_id: r for r in ImmaculateTasteTitle.objects.all()}
    assert set(rows) == {p.tmdb_id for p in result.picks}
    assert all((r.status, r.points) == (("active", 50) if r.rating_key else ("pending", 0))
               for r in rows.values())


def test_cached_tmdb_refetches_after_the_ttl(db, tmdb_client, tmdb_double, seed):
    cached = CachedTmdb(tmdb_client)
    cached.details("movie", seed.tmdb_id)
    TmdbCacheEntry.objects.update(expires_at=timezone.now() - timedelta(seconds=1))

    CachedTmdb(tmdb_client).details("movie", seed.tmdb_id)

    assert tmdb_double.count("GET", rf"^/3/movie/{seed.tmdb_id}$") == 2


def test_cached_tmdb_over_budget_raises_but_serves_cached(db, tmdb_client, seed):
    cached = CachedTmdb(tmdb_client, budget=1)
    cached.details("movie", seed.tmdb_id)

    again = cached.details("movie", seed.tmdb_id)

    assert again["id"] == seed.tmdb_id and cached.hits == 1
    with pytest.raises(BudgetExhausted):
        cached.similar("movie", seed.tmdb_id, 1)
