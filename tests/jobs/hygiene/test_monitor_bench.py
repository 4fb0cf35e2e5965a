"""The monitor bench at its small size (so it cannot rot): the figures issue 14 names meet
their targets."""

import os

from tests.test_bench_smoke import run_small


def test_bench_monitor_small_meets_the_request_targets():
    # Request counts, whatever the database: the bench migrates its own throwaway SQLite.
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    figures = run_small("monitor", env=env)

    assert figures["monitor_confirm_radarr_requests"] <= 3
    assert figures["monitor_confirm_plex_requests"] == 0
    assert figures["monitor_confirm_unmonitored"] > 0
    assert figures["monitor_confirm_radarr_movies"] == 120
