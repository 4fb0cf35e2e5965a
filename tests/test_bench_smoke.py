"""Every benchmark runs at a small size in the suite, so none can rot."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run_small(name: str, env: dict | None = None) -> dict:
    """`python -m tests.bench --json --small --only NAME`; its figures, once it exited 0."""
    return run_benches((name,), env, timeout=120)


# A bench asked for twice with the same environment in one session runs once: two tests that
# read different figures of it (tmdb_cache here and in tests/bench/test_bench_scale_smoke.py)
# share its output. Every call still gets a copy of its own.
_RAN: dict[tuple, dict] = {}


def run_benches(names: tuple[str, ...], env: dict | None, timeout: float) -> dict:
    key = (names, None if env is None else tuple(sorted(env.items())))
    if key not in _RAN:
        done = subprocess.run([sys.executable, "-m", "tests.bench", "--json", "--small",
                               "--only", *names], cwd=ROOT, capture_output=True, text=True,
                              timeout=timeout, env=env)
        assert done.returncode == 0, done.stderr[-2000:]
        _RAN[key] = json.loads(done.stdout)
    return dict(_RAN[key])


def test_bench_plex_index_small_prints_every_figure():
    figures = run_small("plex_index")

    assert figures["plex_index_full_requests"] <= 5
    assert figures["plex_index_incremental_requests"] <= 3
    assert (figures["plex_resolve_100_requests"], figures["plex_resolve_100_found"]) == (0, 100)
    assert figures["plex_index_full_peak_rss_mb"] > 0


def test_bench_tmdb_cache_small_cached_seed_costs_fewer_requests():
    figures = run_small("tmdb_cache")

    assert figures["tmdb_cache_same_seed_x5_cached_requests"] * 3 < \
        figures["tmdb_cache_same_seed_x5_uncached_requests"]


def test_bench_rows_small_meets_request_targets():
    figures = run_small("rows")

    assert figures["rows_first_build_requests"] <= 12
    assert figures["rows_nochange_requests"] <= 6
    assert figures["rows_10pct_change_requests"] <= 12 + figures["rows_10pct_change_removed"]
    assert figures["rows_naive_requests"] > 10 * figures["rows_first_build_requests"]


def test_bench_db_write_wait_small_an_unrelated_write_does_not_wait_for_plex():
    figures = run_small("db_write_wait")

    assert 0 <= figures["db_write_wait_during_plex_call_ms"] <= 200
    assert figures["db_write_wait_plex_call_held_ms"] >= 900


def test_bench_poll_load_small_poll_keeps_its_period_beside_two_long_jobs():
    # On the embedded defaults (SQLite, filesystem broker), whatever database the suite uses.
    embedded = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    figures = run_small("poll_load", env=embedded)

    assert figures["poll_load_jobs_succeeded"] == 2
    assert figures["poll_load_polls"] >= 1
    assert figures["poll_period_p95_s_under_load"] <= 7


def test_bench_web_small_idle_connections_and_a_hostile_chunked_body_cost_little():
    figures = run_small("web")

    assert 0 < figures["web_healthz_ms_with_1000_idle"] < 1000
    assert 0 <= figures["web_chunked_16mb_cpu_s"] < 1


def test_bench_observatory_deck_costs_the_same_queries_at_100_and_10000_titles():
    figures = run_small("observatory")

    assert figures["observatory_deck_queries_100"] == figures["observatory_deck_queries_10000"]
    assert figures["observatory_deck_ms_10000"] > 0


def test_bench_benches_in_one_process_each_start_from_an_empty_database():
    """`python -m tests.bench` runs every bench in one process: two that both create the same
    viewers must not collide (the whole run crashed on a unique constraint)."""
    figures = run_small_many(["observatory", "private_rows"])

    assert figures["observatory_deck_queries_100"] == figures["observatory_deck_queries_10000"]
    assert figures["private_rows_filter_writes_nochange"] == 0


def run_small_many(names: list[str]) -> dict:
    return run_benches(tuple(names), {**os.environ, "DATABASE_URL": ""}, timeout=180)
