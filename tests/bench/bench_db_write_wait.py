"""How long an unrelated database write waits while a job's Plex call is slow.

    python -m tests.bench --only db_write_wait

Figures:
  db_write_wait_during_plex_call_ms  one log-line insert, made while the chained refresher of a
                                     Based on Latest Watched run waits on a collection create
                                     the Plex double holds 2 s (target <= 200: no transaction
                                     may be open during a network call)
  db_write_wait_plex_call_held_ms    how long the double held the call (the wait's ceiling)
"""

from __future__ import annotations

from tests.bench import benchmark

DELAY, SMALL_DELAY = 2.0, 1.0


@benchmark("db_write_wait")
def run(small: bool) -> dict:
    from django.test.utils import override_settings

    from tests.fakes.catalog import Catalog
    from tests.fakes.plex.plextv import PlexTvDouble
    from tests.fakes.plex.server import PlexServerDouble
    from tests.fakes.tmdb import TmdbDouble

    catalog = Catalog(n_movies=80, n_shows=5, seed=77)
    plex, tmdb = PlexServerDouble(catalog).start(), TmdbDouble(catalog).start()
    plextv = PlexTvDouble(plex).start()
    try:
        with override_settings(TMDB_BASE_URL=tmdb.base, PLEX_TV_URL=plextv.url,
                               VAULT_HTTP_RETRIES=0):
            return _measure(plex, tmdb, SMALL_DELAY if small else DELAY)
    finally:
        _forget()
        plextv.stop()
        tmdb.stop()
        plex.stop()


def _measure(plex, tmdb, delay: float) -> dict:
    from jobs.context import Scope
    from tests.jobs.slowplex import run_with_slow_row_write
    from vault import integrations
    from vault.clients.factory import plex_server
    from vault.mirror import reader
    from vault.models import PlexItem, PlexLibrary, PlexViewer

    integrations.save("plex", True, {"url": plex.url, "token": plex.token})
    integrations.save("tmdb", True, {"api_key": tmdb.api_key})
    reader.refresh(plex_server())
    library = PlexLibrary.objects.get(key="1")
    viewer = PlexViewer.objects.filter(monitored=True).order_by("-is_owner", "pk").first()
    seed = PlexItem.objects.filter(library=library, tmdb_id__isnull=False)\
        .order_by("rating_key").first()
    seen = run_with_slow_row_write(plex, "latest_watched", Scope.of(viewer, library, "movie"),
                                   delay, seed={"rating_key": str(seed.rating_key),
                                                "media_type": "movie"})
    return {"db_write_wait_during_plex_call_ms": round(seen.write_wait_s * 1000, 1),
            "db_write_wait_plex_call_held_ms": round(seen.held[0] * 1000, 1)}


def _forget() -> None:
    """Leave the shared bench database as the other benchmarks expect it."""
    from jobs.models import JobRun, LogLine, ScopeLock
    from recommendations.models import ImmaculateTasteTitle, LatestWatchedTitle, RowPosterUpload
    from vault.models import Integration, PlexLibrary, PlexViewer

    for model in (LogLine, JobRun, ScopeLock, ImmaculateTasteTitle, LatestWatchedTitle,
                  RowPosterUpload, PlexLibrary, PlexViewer, Integration):
        model.objects.all().delete()
