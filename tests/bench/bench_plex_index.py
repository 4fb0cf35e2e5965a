"""Plex index: requests and peak memory for a full index of a 20,000-item library, requests
for an incremental sync with nothing changed, and for resolving 100 TMDB ids to ratingKeys.

The Plex double runs in this process; peak RSS is the process's high-water mark reset just
before indexing (Linux /proc/self/clear_refs), so it covers indexing only.
"""

from __future__ import annotations

import resource
import time
from pathlib import Path

from tests.bench import benchmark

FULL_ITEMS = 20_000
MOVIES_PER_PLEX_ITEM = 1.82  # the catalog puts ~55% of its movies in the Movies library


def _reset_peak() -> bool:
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def _peak_mb() -> float:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


@benchmark("plex_index")
def run(small: bool) -> dict:
    from django.test.utils import override_settings

    from tests.fakes.catalog import Catalog
    from tests.fakes.plex.plextv import PlexTvDouble
    from tests.fakes.plex.server import PlexServerDouble
    from vault import integrations
    from vault.clients import factory
    from vault.models import PlexLibrary

    items = 300 if small else FULL_ITEMS
    catalog = Catalog(n_movies=int(items * MOVIES_PER_PLEX_ITEM), n_shows=5)
    plex = PlexServerDouble(catalog).start()
    plextv = PlexTvDouble(plex).start()
    try:
        with override_settings(PLEX_TV_URL=plextv.url):
            integrations.save("plex", True, {"url": plex.url, "token": plex.token})
            figures = _measure(plex, factory, PlexLibrary)
    finally:
        plextv.stop()
        plex.stop()
    return figures


def _measure(plex, factory, PlexLibrary) -> dict:
    from vault.mirror import lookup, reader

    plex.clear()
    reset = _reset_peak()
    started = time.perf_counter()
    server = factory.plex_server()
    reader.sync_libraries(server)
    movies = PlexLibrary.objects.get(key="1")
    full = reader.index_library(server, movies, full=True)
    seconds = time.perf_counter() - started
    peak = _peak_mb()
    full_requests = plex.count()

    plex.clear()
    server = factory.plex_server()
    reader.sync_libraries(server)
    movies.refresh_from_db()
    reader.index_library(server, movies)
    incremental_requests = plex.count()

    plex.clear()
    tmdb_ids = list(movies.items.exclude(tmdb_id=None).values_list("tmdb_id", flat=True)[:100])
    resolved = lookup.rating_keys_for(movies, tmdb_ids)
    return {
        "plex_index_items": full["items"],
        "plex_index_full_requests": full_requests,
        "plex_index_full_seconds": round(seconds, 2),
        "plex_index_full_peak_rss_mb": peak,
        "plex_index_peak_rss_is_indexing_only": reset,
        "plex_index_incremental_requests": incremental_requests,
        "plex_resolve_100_requests": plex.count(),
        "plex_resolve_100_found": len(resolved),
    }
