"""The scale benches (issue 16) and issue 4's engine figures, each at a small size, so none of
them can rot. Each runs `python -m tests.bench --json --small --only NAME` in a subprocess."""

import pytest

from tests.test_bench_smoke import run_small


def test_bench_tmdb_first_and_repeat_run_of_one_seed():
    figures = run_small("tmdb_cache")

    assert 0 < figures["tmdb_first_run_requests"] <= 40
    assert figures["tmdb_repeat_run_requests"] <= 3


def test_bench_points_update_costs_the_same_queries_at_both_sizes():
    figures = run_small("points_update")

    assert figures["points_update_queries_1000"] == figures["points_update_queries_10000"] <= 10
    assert figures["points_update_time_ratio_vs_per_row"] > 1


def test_bench_sweep_small_reads_each_viewers_history_once_and_rows_stay_cheap():
    figures = run_small("sweep")

    assert figures["sweep_rows"] > 0 and figures["sweep_row_items"] > figures["sweep_rows"]
    assert figures["sweep_nochange_history_requests_per_pair"] == 1
    assert figures["sweep_nochange_plex_requests_per_row"] < \
        figures["sweep_first_build_plex_requests_per_row"]
    assert figures["sweep_daily_reshuffle_plex_requests_per_row"] > \
        figures["sweep_nochange_plex_requests_per_row"]
    assert figures["sweep_nochange_seconds"] > 0
    assert 0 < figures["sweep_daily_reshuffle_row_reads"] < 2 * figures["sweep_rows"]
    # rows read back whole after the build are kept unread by the next scheduled sweep
    assert figures["sweep_nochange_plex_requests_per_row"] < \
        figures["sweep_nochange_after_build_plex_requests_per_row"]
    assert 0 < figures["sweep_daily_reshuffle_plex_wait_seconds"] < \
        figures["sweep_daily_reshuffle_seconds"]
    assert 0 < figures["sweep_naive_rebuild_plex_wait_share"] <= 1
    assert figures["sweep_daily_reshuffle_time_ratio_if_only_plex_waits"] > \
        figures["sweep_daily_reshuffle_time_ratio_vs_naive"]


@pytest.mark.services  # a real worker
def test_bench_scale_worker_small_a_real_worker_sweeps_beside_page_loads():
    figures = run_small("scale_worker")

    assert 0 < figures["worker_peak_rss_mb"] <= 300
    assert figures["sqlite_busy_errors"] == 0
    assert figures["sqlite_pages_loaded"] > 0 and figures["sqlite_pages_p95_ms"] > 0


@pytest.mark.services  # a real worker and beat
def test_bench_watch_to_row_small_a_watch_reaches_the_viewers_row():
    figures = run_small("watch_to_row")

    assert figures["watch_to_row_runs"] == 1
    assert 0 < figures["watch_to_row_seconds_p50"] <= figures["watch_to_row_seconds_p95"] < 90


def test_bench_sweep_workers_small_measures_on_postgresql_and_redis_or_says_why_not():
    figures = run_small("sweep_workers")

    if "sweep_seconds_1_worker" in figures:
        assert figures["sweep_seconds_1_worker"] > 0 and figures["sweep_seconds_3_workers"] > 0
        assert figures["sweep_workers_speedup"] > 0
        assert figures["sweep_workers_note"].startswith("PostgreSQL + Redis")
    else:
        assert figures["sweep_workers_note"].startswith("skipped: needs DATABASE_URL")
