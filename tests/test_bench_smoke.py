"""Every benchmark runs at a small size in the suite, so none can rot."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_bench_plex_index_small_prints_every_figure():
    done = subprocess.run([sys.executable, "-m", "tests.bench", "--json", "--small",
                           "--only", "plex_index"], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)

    figures = json.loads(done.stdout)
    assert done.returncode == 0
    assert figures["plex_index_full_requests"] <= 5
    assert figures["plex_index_incremental_requests"] <= 3
    assert (figures["plex_resolve_100_requests"], figures["plex_resolve_100_found"]) == (0, 100)
    assert figures["plex_index_full_peak_rss_mb"] > 0


def test_bench_tmdb_cache_small_cached_seed_costs_fewer_requests():
    done = subprocess.run([sys.executable, "-m", "tests.bench", "--json", "--small",
                           "--only", "tmdb_cache"], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)

    figures = json.loads(done.stdout)
    assert done.returncode == 0
    assert figures["tmdb_cache_same_seed_x5_cached_requests"] * 3 < \
        figures["tmdb_cache_same_seed_x5_uncached_requests"]


def test_bench_rows_small_meets_request_targets():
    done = subprocess.run([sys.executable, "-m", "tests.bench", "--json", "--small",
                           "--only", "rows"], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)

    figures = json.loads(done.stdout)
    assert done.returncode == 0
    assert figures["rows_first_build_requests"] <= 12
    assert figures["rows_nochange_requests"] <= 6
    assert figures["rows_10pct_change_requests"] <= 12 + figures["rows_10pct_change_removed"]
    assert figures["rows_naive_requests"] > 10 * figures["rows_first_build_requests"]
