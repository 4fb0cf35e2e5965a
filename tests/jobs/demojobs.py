"""Tiny jobs for tests of the machinery (also loaded by worker processes via
JOBS_EXTRA_MODULES in tests.jobs.worker_settings)."""

from __future__ import annotations

import time

from jobs.errors import JobSkipped
from jobs.registry import job


@job("demo_ok", "Demo OK", plex_triggered=True)
def demo_ok(ctx):
    """Counts to three."""
    with ctx.report.step("count", items=3):
        for i in range(3):
            ctx.progress(step="counting", current=i + 1, total=3)
    ctx.log("counted")
    ctx.report.summary("Counted to three.")


@job("demo_skip", "Demo skip")
def demo_skip(ctx):
    raise JobSkipped("library_excluded")


@job("demo_slow", "Demo slow")
def demo_slow(ctx):
    """Sleeps `seconds` from its seed, reporting progress every second."""
    seconds = int(ctx.seed.get("seconds", 30))
    for i in range(seconds):
        ctx.progress(step="sleeping", current=i, total=seconds)
        time.sleep(1)


@job("demo_chain", "Demo chain")
def demo_chain(ctx):
    ctx.chain("demo_ok")
