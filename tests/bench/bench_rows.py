"""Row sync cost for a 1,250-item row against the Plex double, next to the naive rebuild.

    python -m tests.bench --only rows      (or PYTHONPATH=. python tests/bench/bench_rows.py)

Figures (Plex requests, from the double's log; times in the same process, same double):
  rows_first_build_requests    a new row: read section, create + add (the uri is cut into
                               ~6,000-character parts, vault.clients.collections.URI_BUDGET),
                               custom sort, check (first page + total), pin, hub, poster
  rows_nochange_requests       the same row synced again (reads only)
  rows_10pct_change_requests   125 of the 1,250 titles replaced (update or recreate: the cheaper)
  rows_release_order_requests  a first build on a server that stores new collections by release
  rows_naive_requests          create with one item, then one add and one move per item
  rows_time_ratio_vs_naive     naive time / first build time

The double's HTTP handler answers headers and body in two writes, so with Nagle's algorithm a
response with a body waits for the client's delayed ACK (~40 ms). A real Plex does not, and the
stall would inflate the naive figure most, so the bench turns Nagle off on the double.
"""

from __future__ import annotations

import random
import statistics
import time

from tests.bench import benchmark

SIZE, SMALL_SIZE = 1250, 120
TOKEN = "bench-token"


def _rows(server):
    from vault.clients.collections import PlexRows

    return PlexRows(server, 1, "movie")


def _spec(items, poster):
    from recommendations.rows.plan import RowSpec

    base = "Inspired by your Immaculate Taste"
    return RowSpec("immaculate_taste", f"{base} (Ava)", base, "Ava", tuple(items),
                   (True, True, False), poster)


def _sync(plex, server, spec, ledger) -> tuple[int, float, object]:
    from recommendations.rows.apply import sync_section

    plex.clear()
    started = time.perf_counter()
    result = sync_section(_rows(server), [spec], ledger.get)
    elapsed = time.perf_counter() - started
    plan, outcome = result.rows[0]
    if outcome is not None:
        assert outcome.ok, outcome.error
        if outcome.poster_uploaded:
            ledger[outcome.collection] = outcome.poster_uploaded
    collection = plex.collection_by_title(1, spec.title)
    assert plex.collection_view(collection.rating_key) == list(spec.items)
    return plex.count(), elapsed, plan


def _wipe(plex) -> None:
    for rk in list(plex.collections):
        plex._delete_collection(rk)


def _naive(plex, server, items) -> tuple[int, float]:
    """The anchor's rebuild: create with one item, then one add and one move per item."""
    rows = _rows(server)
    plex.clear()
    started = time.perf_counter()
    rk = rows.create("Naive (Ava)", items[:1])
    for item in items[1:]:
        rows.add(rk, [item])
    previous = None
    for item in items:
        rows.move(rk, item, previous)
        previous = item
    elapsed = time.perf_counter() - started
    assert plex.collection_items(rk) == list(items)
    return plex.count(), elapsed


@benchmark("rows")
def run(small: bool = False) -> dict:
    from plexapi.server import PlexServer

    from recommendations.rows.posters import render_poster
    from recommendations.rows.section import forget_learned
    from tests.fakes.catalog import Catalog
    from tests.fakes.plex.server import PlexServerDouble

    size = SMALL_SIZE if small else SIZE
    figures: dict = {}
    plex = PlexServerDouble(Catalog(n_movies=300 if small else 2600, n_shows=10, seed=99),
                            token=TOKEN).start()
    plex._httpd.RequestHandlerClass.disable_nagle_algorithm = True
    try:
        server = PlexServer(plex.url, TOKEN)
        data = server.query("/library/sections/1/all?type=1",
                            headers={"X-Plex-Container-Size": "5000"})
        movies = [int(el.get("ratingKey")) for el in data]
        rng = random.Random(7)
        items = rng.sample(movies, size)
        poster = render_poster("immaculate_taste", "Ava")
        forget_learned()

        builds = []
        for _ in range(3):  # the median of three first builds, each from nothing
            _wipe(plex)
            ledger = {}
            builds.append(_sync(plex, server, _spec(items, poster), ledger))
        figures["rows_first_build_requests"] = builds[-1][0]
        first_seconds = statistics.median(b[1] for b in builds)

        figures["rows_nochange_requests"] = _sync(plex, server, _spec(items, poster), ledger)[0]

        changed, spare = list(items), [m for m in movies if m not in set(items)]
        for position in rng.sample(range(size), size // 10):
            changed[position] = spare.pop()
        requests, _, plan = _sync(plex, server, _spec(changed, poster), ledger)
        figures["rows_10pct_change_requests"] = requests
        figures["rows_10pct_change_recreated"] = int(plan.path == "recreate")
        figures["rows_10pct_change_removed"] = len(plan.remove)

        _wipe(plex)
        forget_learned()
        plex.release_order_on_create = True
        figures["rows_release_order_requests"] = _sync(plex, server, _spec(items, poster),
                                                       {})[0]
        plex.release_order_on_create = False
        forget_learned()

        _wipe(plex)
        figures["rows_naive_requests"], naive_seconds = _naive(plex, server, items)
        figures["rows_first_build_seconds"] = round(first_seconds, 4)
        figures["rows_naive_seconds"] = round(naive_seconds, 3)
        figures["rows_time_ratio_vs_naive"] = round(naive_seconds / first_seconds, 1)
    finally:
        plex.stop()
    return figures


if __name__ == "__main__":
    import json

    from tests.bench import setup_django

    setup_django()
    print(json.dumps(run(), indent=2))
