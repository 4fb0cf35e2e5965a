"""TMDB cache effect: TMDB requests for one seed asked five times, uncached vs cached."""

from __future__ import annotations

import time

from tests.bench import benchmark

RUNS = 5


def _run(double, seed, cached: bool) -> tuple[int, float]:
    from recommendations.engine.pipeline import Inputs, recommend
    from recommendations.engine.tmdbcache import CachedTmdb
    from recommendations.types import Seed
    from vault.clients.errors import ServiceError
    from vault.clients.tmdb import TmdbClient

    double.clear()
    started = time.perf_counter()
    for _ in range(RUNS):
        client = TmdbClient(double.api_key)
        tmdb = CachedTmdb(client, budget=500) if cached else client
        recommend(Inputs(tmdb=tmdb, errors=(ServiceError,)), Seed(tmdb_id=seed.tmdb_id),
                  "show", "similar", 10, 25)
    return double.count(), time.perf_counter() - started


@benchmark("tmdb_cache")
def run(small: bool) -> dict:
    from django.test import override_settings

    from tests.fakes.catalog import Catalog
    from tests.fakes.tmdb import TmdbDouble

    catalog = Catalog(n_movies=200 if small else 2000, n_shows=60 if small else 400)
    double = TmdbDouble(catalog).start()
    try:
        with override_settings(TMDB_BASE_URL=double.base):
            seed = next(s for s in catalog.shows if not s.upcoming)
            plain, _ = _run(double, seed, cached=False)
            cached, _ = _run(double, seed, cached=True)
    finally:
        double.stop()
    return {f"tmdb_cache_same_seed_x{RUNS}_uncached_requests": plain,
            f"tmdb_cache_same_seed_x{RUNS}_cached_requests": cached,
            "tmdb_cache_request_ratio": round(plain / max(cached, 1), 1)}
