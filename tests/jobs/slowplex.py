"""A job whose Plex row write is held for a while, and what the rest of the app can do
meanwhile: the test of must-show 4 and the bench `plex_wait` share it."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field


@dataclass
class SlowWrite:
    """What happened while the row write was held."""

    run_id: int | None = None  # the run dispatched
    caller_id: int | None = None  # the run whose Plex call was held (it or a chained one)
    write_wait_s: float = 0.0  # one unrelated insert, started while Plex held the write
    heartbeats: list = field(default_factory=list)  # heartbeat_at seen while waiting
    statuses: set = field(default_factory=set)  # the run's statuses seen while waiting
    watched_s: float = 0.0  # how long the watch loop ran
    held: list = field(default_factory=list)  # seconds the double held the write


def hold_first_row_write(plex, delay: float, held: list) -> threading.Event:
    """The first collection create waits `delay` seconds in the double (appended to `held`
    once over); the event is set when it arrived."""
    arrived, answer = threading.Event(), plex.dispatch

    def slow(req):
        if req.method == "POST" and req.path.rstrip("/") == "/library/collections" \
                and not arrived.is_set():
            arrived.set()
            started = time.monotonic()
            time.sleep(delay)
            held.append(time.monotonic() - started)
        return answer(req)

    plex.dispatch = slow
    return arrived


def run_with_slow_row_write(plex, key: str, scope, delay: float, watch=None,
                            **dispatch_kwargs) -> SlowWrite:
    """Run `key` in a worker thread (as the worker would: no transaction around it) with its
    first row write held `delay` seconds; meanwhile insert an unrelated log line and time it,
    and call `watch(seen)` every 0.5 s until the write is answered."""
    from django.db import connection

    from jobs import runner
    from jobs.dispatch import dispatch
    from jobs.models import JobRun, LogLine

    seen = SlowWrite()
    run = dispatch(key, scope=scope, enqueue_now=False, **dispatch_kwargs)
    seen.run_id = run.pk
    arrived = hold_first_row_write(plex, delay, seen.held)

    def work():
        try:
            runner.execute(run.pk, sync=True)
        finally:
            connection.close()

    worker = threading.Thread(target=work, name="slow-plex-job")
    worker.start()
    try:
        assert arrived.wait(60), "the job never wrote a row"
        started = time.monotonic()
        seen.caller_id = JobRun.objects.filter(status="running").order_by("-pk")\
            .values_list("pk", flat=True).first()
        time.sleep(min(0.2, delay / 4))  # the job is now inside its Plex call
        t0 = time.perf_counter()
        LogLine.objects.create(job="unrelated", message="written during a slow Plex call")
        seen.write_wait_s = time.perf_counter() - t0
        while time.monotonic() - started < delay - 0.3:
            row = JobRun.objects.filter(pk=seen.caller_id).values("status", "heartbeat_at").get()
            seen.statuses.add(row["status"])
            seen.heartbeats.append(row["heartbeat_at"])
            if watch:
                watch(seen)
            time.sleep(0.5)
        seen.watched_s = time.monotonic() - started
    finally:
        worker.join(delay + 120)
        del plex.dispatch
    return seen
