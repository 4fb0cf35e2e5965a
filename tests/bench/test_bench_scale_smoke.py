"""The scale benches (issue 16) and issue 4's engine figures, each at a small size, so none of
them can rot. Each runs `python -m tests.bench --json --small --only NAME` in a subprocess."""

from tests.test_bench_smoke import run_small


def test_bench_tmdb_first_and_repeat_run_of_one_seed():
    figures = run_small("tmdb_cache")

    assert 0 < figures["tmdb_first_run_requests"] <= 40
    assert figures["tmdb_repeat_run_requests"] <= 3


def test_bench_points_update_costs_the_same_queries_at_both_sizes():
    figures = run_small("points_update")

    assert figures["points_update_queries_1000"] == figures["points_update_queries_10000"] <= 10
    assert figures["points_update_time_ratio_vs_per_row"] > 1
