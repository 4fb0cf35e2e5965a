"""The private rows bench at its small size (n = 3), so it cannot rot."""

from tests.test_bench_smoke import run_small


def test_bench_private_rows_small_writes_only_what_changed():
    figures = run_small("private_rows")
    n = figures["private_rows_viewers_n"]
    assert figures["private_rows_filter_writes_nochange"] == 0
    assert 0 < figures["private_rows_filter_writes_new_viewer"] <= n
    # then n + 1 viewers: each of their shares and the new one's own filter
    assert figures["private_rows_filter_writes_new_share"] == n + 2
    assert figures["private_rows_first_sweep_writes"] == n + 1  # one write per share
