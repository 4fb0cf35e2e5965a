"""A whole server's rows: the refresher sweep over 50 viewers × 2 libraries × 4 rows against the
scale fixture (tests/fakes/scale.py), when nothing changed and on the daily reshuffle.

    python -m tests.bench --only sweep

The sweep is what the scheduled jobs do, run here through the real runner (`execute`, sync)
as scheduled runs: the Immaculate Taste refresher (1 row), the Based on Latest Watched
refresher (2 rows) and Fresh Out Of The Oven (1 row), each a standalone sweep of every viewer ×
library.

Figures (Plex requests from the double's log, per row = requests ÷ (pairs × 4)):
  sweep_first_build_plex_requests_per_row   the first sweep, every row created
  sweep_nochange_after_build_plex_requests_per_row  the same sweep again: nothing changed,
                                            but each new row is read back whole once (a new
                                            long row was checked only by its first page)
  sweep_nochange_plex_requests_per_row      the sweep after that, nothing changed: rows whose
                                            order a whole read showed lately and that hold as
                                            many items are kept unread (target <= 1.5)
  sweep_nochange_seconds                    its wall time
  sweep_nochange_run_updates_kb             SQL sent to update the three runs (progress, report)
  sweep_nochange_history_requests_per_pair  watch-history reads of that sweep per viewer ×
                                            library (Fresh Out's; was 2 before the history of
                                            a run was reused by its row sync)
  sweep_daily_reshuffle_plex_requests_per_row  the next day's sweep: every row re-ordered
  sweep_daily_reshuffle_row_reads           its reads of collection items (whole rows, and the
                                            first page of a new one): a row the sweep recreates
                                            is not read first when the order the last sync left
                                            (RowCollection.order) already costs more to edit
  sweep_daily_reshuffle_time_ratio_vs_naive the naive per-item rebuild of every row (create
                                            with one item, one add and one move per item, as
                                            the product we rebuild does) ÷ our reshuffle sweep;
                                            the naive time is measured on 12 Movies rows of
                                            this run (one per twelfth of them by length) and
                                            scaled by item count to all rows (target >= 50)
  sweep_daily_reshuffle_request_ratio_vs_naive  the naive rebuild's Plex requests (measured per
                                            item on the same 12 rows: 2 per item) for all
                                            rows ÷ our reshuffle sweep's requests. On this
                                            double a request costs well under a millisecond,
                                            so the time ratio mostly measures the reading back
                                            and parsing of long rows (which the naive rebuild
                                            skips) and our per-viewer work; on a real server,
                                            where each write costs tens of ms, time follows
                                            requests more closely
  sweep_daily_reshuffle_plex_wait_seconds   of the reshuffle's seconds, those spent inside its
                                            Plex requests (send, wait, read the answer)
  sweep_naive_rebuild_plex_wait_share       the same share for the naive rebuild (~1: it is
                                            nothing but requests)
  sweep_daily_reshuffle_time_ratio_if_only_plex_waits  the naive time ÷ the reshuffle's Plex
                                            waits: the time ratio if everything else the sweep
                                            does (datasets, ordering, ledger, report) took no
                                            time; what the double's cost per request allows
  sweep_rows, sweep_row_items               rows and items the sweep keeps in Plex
"""

from __future__ import annotations

import time
from contextlib import contextmanager
from datetime import timedelta

from tests.bench import benchmark

JOBS = ("immaculate_taste_refresher", "latest_watched_refresher", "fresh_out_of_the_oven")
ROWS_PER_PAIR = 4
SAMPLE = 12  # rows the naive rebuild is measured on (of ~200 Movies rows)


def sweep(scale, written: list | None = None) -> tuple[int, float]:
    """Every job's standalone sweep once; (Plex requests, seconds). Each run must succeed.
    `written` gets the characters of SQL the sweep sent to update its runs (progress and
    reports)."""
    from django.db import connection

    from jobs.dispatch import create_run
    from jobs.models import JobRun
    from jobs.runner import execute

    scale.plex.clear()
    started = time.perf_counter()
    sent = [0]

    def count(execute, sql, params, many, context):
        if sql.startswith('UPDATE "jobs_jobrun"'):
            sent[0] += len(sql) + sum(len(str(p)) for p in params or ())
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        for job in JOBS:
            run = create_run(job, trigger="schedule")
            execute(run.pk, sync=True)
            run = JobRun.objects.get(pk=run.pk)
            assert run.status == "succeeded", (job, run.status, run.reason)
    if written is not None:
        written.append(sent[0])
    return scale.plex.count(), time.perf_counter() - started


@contextmanager
def request_time(url: str):
    """Seconds spent inside HTTP sends to `url` (connect, send, wait for and read the answer),
    summed into the list this yields: what the requests alone cost, whoever sent them."""
    from requests.adapters import HTTPAdapter

    spent, send = [0.0], HTTPAdapter.send

    def timed(self, request, *args, **kwargs):
        if not request.url.startswith(url):
            return send(self, request, *args, **kwargs)
        started = time.perf_counter()
        try:
            return send(self, request, *args, **kwargs)
        finally:
            spent[0] += time.perf_counter() - started

    HTTPAdapter.send = timed
    try:
        yield spent
    finally:
        HTTPAdapter.send = send


def next_day(days: int = 1):
    """Make the rows' daily shuffle seed that of `days` later (what the calendar would do)."""
    from recommendations.rows import sync

    original = sync._daily_seed

    def shifted(viewer, library, kind, today):
        return original(viewer, library, kind, today + timedelta(days=days))

    sync._daily_seed = shifted
    return lambda: setattr(sync, "_daily_seed", original)


def row_items(scale) -> list[tuple[int, int, int]]:
    """(section, collection rating key, item count) of every row the sweep keeps."""
    with scale.plex.lock:
        return [(c.section, rk, len(c.items)) for rk, c in scale.plex.collections.items()]


def naive_seconds_per_item(scale, rows: list[tuple[int, int, int]],
                           requests: list | None = None, sample: int = SAMPLE) -> float:
    """Rebuild `sample` of the sweep's Movies rows the naive way (same double, same run), one
    from each equal slice of the rows sorted by length, so the sample holds long and short rows
    as the sweep does (a move costs more in a longer row); seconds per item over the sample.
    `requests` gets the naive rebuild's Plex requests per item (pooled), then the items built."""
    from plexapi.server import PlexServer

    from tests.bench.bench_rows import _naive

    server = PlexServer(scale.plex.url, scale.plex.token)
    ordered = sorted((r for r in rows if r[0] == 1 and r[2] > 1), key=lambda r: r[2])
    sample = min(sample, len(ordered))
    picked = {ordered[(2 * n + 1) * len(ordered) // (2 * sample)] for n in range(sample)}
    seconds, sent, built = 0.0, 0, 0
    for _, rk, _ in sorted(picked):
        with scale.plex.lock:
            items = list(scale.plex.collections[rk].items)
        count, spent = _naive(scale.plex, server, items)
        seconds, sent, built = seconds + spent, sent + count, built + len(items)
        with scale.plex.lock:
            naive = [k for k, c in scale.plex.collections.items() if c.title == "Naive (Ava)"]
        for key in naive:
            scale.plex._delete_collection(key)
    if requests is not None:
        requests.append(sent / built)
        requests.append(built)
    return seconds / built


@benchmark("sweep")
def run(small: bool) -> dict:
    from tests.fakes.scale import build_scale

    scale = build_scale(small=small)
    try:
        rows = scale.pairs * ROWS_PER_PAIR
        first_requests, _ = sweep(scale)
        after_build, _ = sweep(scale)
        written = []
        nochange_requests, nochange_seconds = sweep(scale, written)
        history = scale.plex.count("GET", r"/status/sessions/history")
        restore = next_day()
        try:
            with request_time(scale.plex.url) as waited:
                reshuffle_requests, reshuffle_seconds = sweep(scale)
        finally:
            restore()
        reshuffle_reads = scale.plex.count("GET", r"^/library/collections/\d+/children")
        kept = row_items(scale)
        naive_requests = []
        items = sum(n for _, _, n in kept)
        with request_time(scale.plex.url) as naive_waited:
            naive = naive_seconds_per_item(scale, kept, naive_requests) * items
    finally:
        scale.stop()
    return {
        "sweep_viewers": len([v for v in scale.viewers if v.monitored]),
        "sweep_rows": len(kept), "sweep_row_items": sum(n for _, _, n in kept),
        "sweep_first_build_plex_requests_per_row": round(first_requests / rows, 2),
        "sweep_nochange_after_build_plex_requests_per_row": round(after_build / rows, 2),
        "sweep_nochange_plex_requests_per_row": round(nochange_requests / rows, 2),
        "sweep_nochange_seconds": round(nochange_seconds, 1),
        "sweep_nochange_run_updates_kb": round(written[0] / 1e3),
        "sweep_nochange_history_requests_per_pair": round(history / scale.pairs, 2),
        "sweep_daily_reshuffle_plex_requests_per_row": round(reshuffle_requests / rows, 2),
        "sweep_daily_reshuffle_seconds": round(reshuffle_seconds, 1),
        "sweep_daily_reshuffle_row_reads": reshuffle_reads,
        "sweep_naive_rebuild_seconds_estimated": round(naive, 1),
        "sweep_daily_reshuffle_time_ratio_vs_naive": round(naive / reshuffle_seconds, 1),
        "sweep_daily_reshuffle_request_ratio_vs_naive": round(
            naive_requests[0] * items / reshuffle_requests, 1),
        "sweep_daily_reshuffle_plex_wait_seconds": round(waited[0], 1),
        "sweep_naive_rebuild_plex_wait_share": round(
            naive_waited[0] / naive_requests[1] * items / naive, 2),
        "sweep_daily_reshuffle_time_ratio_if_only_plex_waits": round(naive / waited[0], 1),
    }
