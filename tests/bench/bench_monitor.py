"""Confirm Monitored at scale: one monitor_confirm run with 5,000 movies in Radarr and a
20,000-item mirror (issue 14, must-show 5).

The mirror is indexed first through the real reader, so the run's own refresh finds nothing
changed. The run goes through the real runner (dispatch + runner.execute, sync), with Plex and
Radarr set up in the Vault and Sonarr not (movies only). Figures:

- monitor_confirm_radarr_requests: every request the Radarr double saw during the run
  (target <= 3: the listing GET /movie and one PUT /movie/editor);
- monitor_confirm_plex_requests: the Plex double's requests during the run minus those made
  inside the job's mirror refresh step (the connect and the no-change sync), target 0;
- monitor_confirm_mirror_refresh_requests: what that refresh step cost, for the record;
- monitor_confirm_unmonitored and monitor_confirm_seconds.
"""

from __future__ import annotations

import time

from tests.bench import benchmark

MIRROR_ITEMS, SMALL_MIRROR_ITEMS = 20_000, 300
RADARR_MOVIES, SMALL_RADARR_MOVIES = 5_000, 120
MOVIES_PER_PLEX_ITEM = 1.82  # the catalog puts ~55% of its movies in the Movies library


@benchmark("monitor")
def run(small: bool) -> dict:
    from django.test.utils import override_settings

    from tests.fakes.arr.radarr import RadarrDouble
    from tests.fakes.catalog import Catalog
    from tests.fakes.plex.plextv import PlexTvDouble
    from tests.fakes.plex.server import PlexServerDouble

    items = SMALL_MIRROR_ITEMS if small else MIRROR_ITEMS
    catalog = Catalog(n_movies=int(items * MOVIES_PER_PLEX_ITEM), n_shows=5)
    plex = PlexServerDouble(catalog).start()
    plextv = PlexTvDouble(plex).start()
    radarr = RadarrDouble(catalog, seed=SMALL_RADARR_MOVIES if small else RADARR_MOVIES).start()
    try:
        with override_settings(PLEX_TV_URL=plextv.url, VAULT_HTTP_RETRIES=0):
            return _measure(plex, radarr)
    finally:
        for server in (radarr, plextv, plex):
            server.stop()


def _measure(plex, radarr) -> dict:
    from jobs import runner
    from jobs.definitions import monitoring
    from jobs.dispatch import dispatch
    from vault import integrations
    from vault.clients import factory
    from vault.mirror import reader
    from vault.models import PlexItem

    integrations.save("plex", True, {"url": plex.url, "token": plex.token})
    integrations.save("radarr", True, {"url": radarr.url, "api_key": radarr.api_key})
    reader.refresh(factory.plex_server())  # the mirror, fresh before the run
    mirrored = PlexItem.objects.count()
    refresh_requests = []
    real_refresh = monitoring.refresh_mirror

    def counted_refresh(ctx):
        before = plex.count()
        try:
            real_refresh(ctx)
        finally:
            refresh_requests.append(plex.count() - before)

    monitoring.refresh_mirror = counted_refresh
    plex.clear()
    radarr.clear()
    started = time.perf_counter()
    try:
        run_ = dispatch("monitor_confirm", enqueue_now=False)
        runner.execute(run_.pk, sync=True)
    finally:
        monitoring.refresh_mirror = real_refresh
    seconds = time.perf_counter() - started
    run_.refresh_from_db()
    assert run_.status == "succeeded", f"{run_.status}: {run_.reason}"
    return {
        "monitor_confirm_radarr_movies": len(radarr.movies),
        "monitor_confirm_mirror_items": mirrored,
        "monitor_confirm_radarr_requests": radarr.count(),
        "monitor_confirm_plex_requests": plex.count() - sum(refresh_requests),
        "monitor_confirm_mirror_refresh_requests": sum(refresh_requests),
        "monitor_confirm_unmonitored": next(
            (s["counts"]["movies"] for s in run_.report["steps"]
             if s["name"] == "Radarr bulk edit"), 0),
        "monitor_confirm_seconds": round(seconds, 2),
    }
