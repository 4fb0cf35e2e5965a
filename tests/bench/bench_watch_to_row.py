"""From a watch to the row: a session crossing 70% in the Plex double until that viewer's
Immaculate Taste row in Plex holds the new picks (issue 16).

    python -m tests.bench --only watch_to_row

Real processes on the embedded defaults (SQLite + the filesystem broker), started with the
commands `manage.py serve` runs for its worker and beat roles, with the product's 5 s poll
(tests/bench/poll_settings.py), against the scale fixture (tests/fakes/scale.py) and the TMDB
double. Each run: one viewer starts a movie at 75% of its length; the poll sees it, the
Immaculate Taste job suggests from it, its chained refresher rebuilds the row. The clock stops
when every new pick in Plex (the viewer's titles suggested after the session started, with a
rating key) is in the viewer's row in the double. Viewers differ between runs.

Figures:
  watch_to_row_seconds_p50 / _p95   over the runs (5; 1 in the small mode) (target p50 <= 10)
  watch_to_row_runs                 how many runs were measured
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

from tests.bench import benchmark
from tests.bench.bench_poll_load import _spawn, _stop

RUNS, SMALL_RUNS = 5, 1
TIMEOUT = 90


def _new_picks(viewer, since) -> set[int]:
    from recommendations.models import ImmaculateTasteTitle

    return set(ImmaculateTasteTitle.objects.filter(
        viewer=viewer, library__key="1", last_suggested_at__gte=since, status="active",
        rating_key__isnull=False).values_list("rating_key", flat=True))


def _row(plex, viewer) -> set[int]:
    row = plex.collection_by_title(1, f"Inspired by your Immaculate Taste ({viewer.name})")
    return set(row.items) if row is not None else set()


def _one(scale, viewer, item) -> float:
    from django.utils import timezone

    from jobs.models import JobRun

    since = timezone.now()
    started = time.monotonic()
    scale.plex.set_session(viewer.account_id, item.rating_key, int(item.duration_ms * 0.75))
    try:
        while time.monotonic() - started < TIMEOUT:
            picks = _new_picks(viewer, since)
            if picks and picks <= _row(scale.plex, viewer):
                return time.monotonic() - started
            time.sleep(0.1)
    finally:
        scale.plex.clear_sessions()
    runs = list(JobRun.objects.filter(viewer_account_id=viewer.account_id)
                .values_list("job", "status", "reason"))
    raise AssertionError(f"{viewer.name}'s row never held the new picks: {runs}")


@benchmark("watch_to_row")
def run(small: bool) -> dict:
    from django.conf import settings

    from immaculaterr.management.commands.serve import child_commands
    from tests.fakes.scale import build_scale
    from tests.fakes.tmdb import TmdbDouble
    from vault import integrations

    scale = build_scale(small=True)  # the library's size does not enter this path's clock
    tmdb = TmdbDouble(scale.catalog).start()
    integrations.save("tmdb", True, {"api_key": tmdb.api_key})
    os.environ.update(TMDB_BASE_URL=tmdb.base, PLEX_TV_URL=scale.plextv.url)
    log_dir = Path(settings.DATA_DIR) / "bench-logs"
    log_dir.mkdir(exist_ok=True)
    viewers = [v for v in scale.viewers if v.monitored][:SMALL_RUNS if small else RUNS]
    movies = sorted((i for i in scale.plex.library.items.values() if i.kind == "movie"
                     and i.section == 1 and not i.legacy and not i.source.legacy_agent),
                    key=lambda i: i.rating_key)
    procs = []
    took = []
    try:
        for name, argv in child_commands("worker", 0) + child_commands("beat", 0):
            argv = [sys.executable if a == sys.executable else a for a in argv]
            procs.append(_spawn(argv, log_dir / f"watch-{name}.log"))
        deadline = time.monotonic() + 90
        while scale.plex.count("GET", "/status/sessions") < 1 and time.monotonic() < deadline:
            time.sleep(0.2)  # the poll is running
        for n, viewer in enumerate(viewers):
            took.append(_one(scale, viewer, movies[n * 7]))
            time.sleep(1)
    finally:
        _stop(procs)
        tmdb.stop()
        scale.stop()
    took.sort()
    p95 = statistics.quantiles(took, n=20, method="inclusive")[-1] if len(took) > 1 else took[0]
    return {"watch_to_row_seconds_p50": round(statistics.median(took), 1),
            "watch_to_row_seconds_p95": round(p95, 1), "watch_to_row_runs": len(took)}
