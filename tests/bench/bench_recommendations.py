"""The engine's TMDB cost for one seed, and the points-decay dataset update's cost by size.

    python -m tests.bench --only tmdb_cache points_update

Figures (issue 4):
  tmdb_first_run_requests        TMDB requests of one seed's recommendation, cold cache
                                 (target <= 40)
  tmdb_repeat_run_requests       the same seed again within the TTL (target <= 3)
  tmdb_cache_same_seed_x5_*      the same seed asked five times, uncached vs cached
  points_update_queries_1000     SQL queries of one Immaculate Taste points update (plan +
  points_update_queries_10000    apply, 10 picks) on a dataset of 1,000 / 10,000 titles
                                 (target: equal, <= 10)
  points_update_time_ratio_vs_per_row
                                 a per-row ORM update (load every row, save or delete each)
                                 ÷ ours, same run, same 10,000-title data
The small mode (the suite's smoke test) uses 100 and 1,000 titles under the same names.
"""

from __future__ import annotations

import time

from tests.bench import benchmark

RUNS = 5
SIZES, SMALL_SIZES = (1_000, 10_000), (100, 1_000)
PICKS = 10


def _run(double, seed, cached: bool, runs: int = RUNS) -> tuple[int, float]:
    from recommendations.engine.pipeline import Inputs, recommend
    from recommendations.engine.tmdbcache import CachedTmdb
    from recommendations.types import Seed
    from vault.clients.errors import ServiceError
    from vault.clients.tmdb import TmdbClient

    double.clear()
    started = time.perf_counter()
    for _ in range(runs):
        client = TmdbClient(double.api_key)
        tmdb = CachedTmdb(client, budget=500) if cached else client
        recommend(Inputs(tmdb=tmdb, errors=(ServiceError,)), Seed(tmdb_id=seed.tmdb_id),
                  "show", "similar", 10, 25)
    return double.count(), time.perf_counter() - started


@benchmark("tmdb_cache")
def run(small: bool) -> dict:
    from django.test import override_settings

    from recommendations.models import TmdbCacheEntry
    from tests.fakes.catalog import Catalog
    from tests.fakes.tmdb import TmdbDouble

    catalog = Catalog(n_movies=200 if small else 2000, n_shows=60 if small else 400)
    double = TmdbDouble(catalog).start()
    try:
        with override_settings(TMDB_BASE_URL=double.base):
            seeds = [s for s in catalog.shows if not s.upcoming]
            TmdbCacheEntry.objects.all().delete()
            first, _ = _run(double, seeds[1], cached=True, runs=1)
            repeat, _ = _run(double, seeds[1], cached=True, runs=1)
            plain, _ = _run(double, seeds[0], cached=False)
            cached, _ = _run(double, seeds[0], cached=True)
    finally:
        double.stop()
    return {"tmdb_first_run_requests": first, "tmdb_repeat_run_requests": repeat,
            f"tmdb_cache_same_seed_x{RUNS}_uncached_requests": plain,
            f"tmdb_cache_same_seed_x{RUNS}_cached_requests": cached,
            "tmdb_cache_request_ratio": round(plain / max(cached, 1), 1)}


# --- points decay -------------------------------------------------------------------------

def _dataset(viewer, library, size: int) -> list:
    """`size` titles: 80% active at 1..50 points (so some leave at this update), 20% pending;
    the picks: half of them re-suggest existing titles, half are new (in Plex or not)."""
    from django.utils import timezone

    from recommendations.models import ImmaculateTasteTitle

    ImmaculateTasteTitle.objects.filter(viewer=viewer, library=library).delete()
    now = timezone.now()
    ImmaculateTasteTitle.objects.bulk_create([ImmaculateTasteTitle(
        viewer=viewer, library=library, media_type="movie", tmdb_id=t, title=f"Title {t}",
        status="pending" if t % 5 == 0 else "active",
        points=0 if t % 5 == 0 else 1 + t % 50, rating_key=None if t % 5 == 0 else t,
        first_suggested_at=now, last_suggested_at=now) for t in range(1, size + 1)],
        batch_size=1000)
    step = max(1, size // PICKS)
    old = [make_pick(t, rating_key=t) for t in range(1, size + 1, step)][:PICKS // 2]
    new = [make_pick(size + 1 + i, rating_key=size + 1 + i if i % 2 else None)
           for i in range(PICKS - len(old))]
    return old + new


def make_pick(tmdb_id: int, rating_key: int | None = None):
    from recommendations.types import Pick

    return Pick(tmdb_id=tmdb_id, title=f"Title {tmdb_id}", year=2001,
                release_date="2001-02-03", vote_average=7.1, vote_count=321,
                poster_path=f"/p{tmdb_id}.jpg", bucket="released", why="Because you watched Heat",
                sources=["similar"], score=0.5, rating_key=rating_key)


def _scope():
    from vault.models import PlexLibrary, PlexViewer

    viewer, _ = PlexViewer.objects.get_or_create(account_id=9001, defaults={
        "name": "Points Bench", "kind": "shared"})
    library, _ = PlexLibrary.objects.get_or_create(key="9001", defaults={
        "kind": "movie", "title": "Points Bench Movies"})
    return viewer, library


def _ours(viewer, library, picks) -> tuple[int, float]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from recommendations.datasets.plans import plan_immaculate_points

    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        plan_immaculate_points(viewer, library, "movie", picks, max_points=50).apply()
    return len(queries), time.perf_counter() - started


def _per_row(viewer, library, picks) -> tuple[dict, float]:
    """The naive ORM update the set-based one replaces: every row loaded, each saved or
    deleted on its own, each pick looked up and saved."""
    from django.utils import timezone

    from recommendations.datasets.plans import metadata
    from recommendations.models import ImmaculateTasteTitle

    started = time.perf_counter()
    now = timezone.now()
    suggested = {p.tmdb_id: p for p in picks}
    for row in ImmaculateTasteTitle.objects.filter(viewer=viewer, library=library,
                                                  media_type="movie"):
        if row.tmdb_id in suggested or row.status != "active":
            continue
        row.points -= 1
        if row.points <= 0:
            row.delete()
        else:
            row.save(update_fields=["points"])
    for p in picks:
        row = ImmaculateTasteTitle.objects.filter(viewer=viewer, library=library,
                                                  media_type="movie", tmdb_id=p.tmdb_id).first()
        in_plex = p.rating_key is not None
        if row is None:
            row = ImmaculateTasteTitle(viewer=viewer, library=library, media_type="movie",
                                       tmdb_id=p.tmdb_id, first_suggested_at=now,
                                       status="active" if in_plex else "pending",
                                       points=50 if in_plex else 0)
        elif in_plex or row.status == "active":
            row.status, row.points = "active", 50
        for name, value in metadata(p).items():
            setattr(row, name, value)
        row.rating_key, row.last_suggested_at = p.rating_key or row.rating_key, now
        row.save()
    return _state(viewer, library), time.perf_counter() - started


def _state(viewer, library) -> dict:
    from recommendations.models import ImmaculateTasteTitle

    return dict(((t, (s, p)) for t, s, p in ImmaculateTasteTitle.objects.filter(
        viewer=viewer, library=library).values_list("tmdb_id", "status", "points")))


@benchmark("points_update")
def points(small: bool) -> dict:
    viewer, library = _scope()
    figures: dict = {}
    for size, name in zip(SMALL_SIZES if small else SIZES, SIZES, strict=True):
        picks = _dataset(viewer, library, size)
        _ours(viewer, library, picks)  # warm: statement caches, settings row
        picks = _dataset(viewer, library, size)
        figures[f"points_update_queries_{name}"], ours_seconds = _ours(viewer, library, picks)
    ours_state = _state(viewer, library)
    picks = _dataset(viewer, library, size)
    baseline_state, baseline_seconds = _per_row(viewer, library, picks)
    assert baseline_state == ours_state, "the per-row baseline must reach the same dataset"
    figures["points_update_seconds_10000"] = round(ours_seconds, 4)
    figures["points_update_per_row_seconds_10000"] = round(baseline_seconds, 3)
    figures["points_update_time_ratio_vs_per_row"] = round(baseline_seconds / ours_seconds, 1)
    return figures
