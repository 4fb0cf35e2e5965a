"""The monitor bench at its small size (so it cannot rot): the figures issue 14 names meet
their targets."""

from tests.test_bench_smoke import run_small


def test_bench_monitor_small_meets_the_request_targets():
    figures = run_small("monitor")

    assert figures["monitor_confirm_radarr_requests"] <= 3
    assert figures["monitor_confirm_plex_requests"] == 0
    assert figures["monitor_confirm_unmonitored"] > 0
    assert figures["monitor_confirm_radarr_movies"] == 120
