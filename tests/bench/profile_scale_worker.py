"""Where the scale worker's memory goes: the work of bench_scale_worker (a full index of the
scale fixture, then the three standalone sweeps) in a separate process on the same database
and settings as the bench's worker, under tracemalloc.

    python -m tests.bench.profile_scale_worker [--small] [--top 20] [--no-trace]
        [--stages index fresh_out_of_the_oven ...]

Not a benchmark (no figures in `python -m tests.bench`): a tool for finding what holds memory.
The child process prints, after each stage, VmRSS/VmHWM and the traced Python memory, then the
allocation sites that grew most between the start and each stage's highest traced moment (a
sampler thread snapshots whenever the traced total passes the stage's high by 4 MB).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import threading
import time
import tracemalloc
from pathlib import Path

STAGES = ("index", "immaculate_taste_refresher", "latest_watched_refresher",
          "fresh_out_of_the_oven")


def _status(field: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


class _Sampler(threading.Thread):
    """Per stage: the snapshot of its highest traced moment (taken whenever the traced total
    passes the stage's previous high by 4 MB)."""

    def __init__(self):
        super().__init__(daemon=True)
        self.stage, self.best, self.snapshots = "", {}, {}
        self.stop = threading.Event()

    def run(self):
        while not self.stop.wait(0.25):
            stage, current = self.stage, tracemalloc.get_traced_memory()[0]
            if current > self.best.get(stage, 0) + 4 * 2**20:
                self.best[stage], self.snapshots[stage] = current, tracemalloc.take_snapshot()


def child(top: int, trace: bool, stages: list[str], trim: bool) -> None:
    import django

    django.setup()
    from django.db import connection

    from jobs.dispatch import create_run
    from jobs.runner import execute
    from vault.clients.factory import plex_server
    from vault.mirror import reader

    if trace:
        tracemalloc.start(12)
    base = tracemalloc.take_snapshot() if trace else None
    sampler = _Sampler()
    if trace:
        sampler.start()
    print(f"start: rss {_status('VmRSS')} MB, hwm {_status('VmHWM')} MB", flush=True)
    for stage in stages:
        sampler.stage = stage
        started = time.perf_counter()
        if stage == "index":
            reader.refresh(plex_server(), full=True)
        else:
            execute(create_run(stage, trigger="manual").pk, sync=True)
        now, peak = tracemalloc.get_traced_memory() if trace else (0, 0)
        print(f"{stage}: {time.perf_counter() - started:.1f} s, rss {_status('VmRSS')} MB, "
              f"hwm {_status('VmHWM')} MB, traced {now / 2**20:.1f} MB "
              f"(peak {peak / 2**20:.1f} MB), queries logged {len(connection.queries_log)}",
              flush=True)
        if trace:
            tracemalloc.reset_peak()
        if trim:
            import ctypes

            ctypes.CDLL("libc.so.6").malloc_trim(0)
            print(f"  after malloc_trim(0): rss {_status('VmRSS')} MB (what glibc held free)",
                  flush=True)
    sampler.stop.set()
    if trace:
        sampler.join()
    for stage, snapshot in sampler.snapshots.items():
        print(f"\n== {stage}: highest traced moment {sampler.best[stage] / 2**20:.1f} MB")
        _print_growth(snapshot.compare_to(base, "lineno")[:top], lines=1)
        _print_growth(snapshot.compare_to(base, "traceback")[:3], lines=24)


def _print_growth(stats, lines: int) -> None:
    for stat in stats:
        print(f"  {stat.size_diff / 2**20:8.1f} MB  {stat.count_diff:>9} blocks")
        for line in stat.traceback.format()[-lines * 2:]:
            print("      " + line)


def parent(small: bool, top: int, trace: bool, stages: list[str], trim: bool) -> int:
    from tests.bench import setup_django

    setup_django()
    from tests.fakes.scale import build_scale
    from tests.jobs import procs
    from vault.models import PlexLibrary

    scale = build_scale(small=small)
    PlexLibrary.objects.update(indexed_at=None)
    from django.db import connection

    connection.close()
    env = procs.env(PLEX_TV_URL=scale.plextv.url)
    log_dir = Path(tempfile.mkdtemp(prefix="immaculaterr-profile-"))
    try:
        return subprocess.run([sys.executable, "-m", "tests.bench.profile_scale_worker",
                               "--child", "--top", str(top), *([] if trace else ["--no-trace"]),
                               *(["--trim"] if trim else []),
                               "--stages", *stages], cwd=procs.ROOT, env=env,
                              stderr=open(log_dir / "stderr.log", "w")).returncode  # noqa: SIM115
    finally:
        scale.stop()


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.bench.profile_scale_worker")
    parser.add_argument("--small", action="store_true")
    parser.add_argument("--top", type=int, default=20)
    parser.add_argument("--no-trace", action="store_true",
                        help="RSS and VmHWM per stage only (tracemalloc costs memory itself)")
    parser.add_argument("--trim", action="store_true",
                        help="after each stage, malloc_trim(0) and RSS again")
    parser.add_argument("--stages", nargs="*", default=list(STAGES), choices=STAGES)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.top, not args.no_trace, args.stages, args.trim)
        return 0
    os.environ.setdefault("PLEXAPI_CONFIG_PATH", os.devnull)
    return parent(args.small, args.top, not args.no_trace, args.stages, args.trim)


if __name__ == "__main__":
    sys.exit(main())
