"""TMDB cache effect: requests for the same seed asked five times, cached vs uncached.

    PYTHONPATH=. python tests/bench/bench_recommendations.py
"""

from __future__ import annotations

import os
import tempfile
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
os.environ.setdefault("APP_DATA_DIR", tempfile.mkdtemp(prefix="bench-reco-"))

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402

from recommendations.engine import Inputs, recommend  # noqa: E402
from recommendations.tmdbcache import CachedTmdb  # noqa: E402
from recommendations.types import Seed  # noqa: E402
from tests.fakes.catalog import Catalog  # noqa: E402
from tests.fakes.tmdb import TmdbDouble  # noqa: E402
from vault.clients.errors import ServiceError  # noqa: E402
from vault.clients.tmdb import TmdbClient  # noqa: E402

RUNS = 5


def run(double, seed, cached: bool) -> tuple[int, float]:
    double.clear()
    started = time.perf_counter()
    for _ in range(RUNS):
        client = TmdbClient(double.api_key)
        tmdb = CachedTmdb(client, budget=500) if cached else client
        recommend(Inputs(tmdb=tmdb, errors=(ServiceError,)), Seed(tmdb_id=seed.tmdb_id),
                  "show", "similar", 10, 25)
    return double.count(), time.perf_counter() - started


def main() -> None:
    call_command("migrate", verbosity=0)
    catalog = Catalog(n_movies=2000, n_shows=400)
    double = TmdbDouble(catalog).start()
    settings.TMDB_BASE_URL = double.base
    try:
        seed = next(s for s in catalog.shows if not s.upcoming)
        plain, plain_s = run(double, seed, cached=False)
        cached, cached_s = run(double, seed, cached=True)
    finally:
        double.stop()
    print(f"same show seed x{RUNS}: uncached {plain} TMDB requests ({plain_s:.2f}s), "
          f"cached {cached} ({cached_s:.2f}s), ratio {plain / max(cached, 1):.1f}x")


if __name__ == "__main__":
    main()
