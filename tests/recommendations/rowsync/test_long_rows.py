"""Long rows: sent in uri chunks, verified whole by the next sync, and the custom sort a
real listing does not report."""

import random

from tests.recommendations.rowsync.helpers import row, spec, sync
from vault.clients import collections as plex_collections


def test_long_row_is_sent_in_uri_chunks_and_ends_in_order(plex, server, movies, monkeypatch):
    monkeypatch.setattr(plex_collections, "URI_BUDGET", 300)  # ~50 ids a request instead of ~850
    picks = random.Random(8).sample(movies, 160)

    result = sync(server, [spec("immaculate_taste", "Ava", picks)])

    col = row(plex, "Inspired by your Immaculate Taste (Ava)")
    sent = [r for r in plex.requests if r.method in ("POST", "PUT") and "uri" in r.query]
    assert result.rows[0][1].ok and plex.collection_view(col.rating_key) == picks
    assert [r.method for r in sent] == ["POST", "PUT", "PUT", "PUT"]
    ids = [r.query["uri"].rsplit("/", 1)[1].split(",") for r in sent]
    assert max(sum(len(i) + 3 for i in part) for part in ids) <= 300  # %2C-encoded length
    assert [int(i) for part in ids for i in part] == picks
    assert result.rows[0][0].cost == plex.count() - 2  # the plan priced every chunk


def test_whole_order_of_a_new_long_row_is_verified_by_the_next_sync(plex, server, movies):
    picks = random.Random(9).sample(movies, 250)
    s, ledger = spec("immaculate_taste", "Ava", picks), {}
    first = sync(server, [s], ledger)
    col = row(plex, s.title)
    middle = plex.collections[col.rating_key].items
    middle[120], middle[200] = middle[200], middle[120]  # a server slip past the first page
    plex.clear()

    again = sync(server, [s], ledger)

    plan, outcome = again.rows[0]
    assert first.rows[0][1].verify == "head"
    assert (plan.path, plan.add, plan.remove, len(plan.moves)) == ("update", [], [], 2)
    assert outcome.verified and plex.collection_view(col.rating_key) == picks
    assert plex.writes() == 2 and plex.count("PUT", r"/move$") == 2


def test_listing_without_collection_sort_second_sync_sends_no_sort_and_reads_rows_once(
        plex, server, movies):
    """Real type=18 listings carry no collectionSort (issue 9 item 5): the sort we set is
    remembered, so an unchanged row costs no write and one read of its items."""
    specs, ledger = [spec("immaculate_taste", "Ava", movies[:10])], {}
    sync(server, specs, ledger)
    plex.clear()

    result = sync(server, specs, ledger)

    assert plex.writes() == 0
    assert plex.count("PUT", r"/prefs") == 0
    assert plex.count("GET", r"/library/collections/\d+/children") == 1
    assert all(outcome is None for _, outcome in result.rows)


def test_foreign_row_of_unknown_sort_is_switched_to_custom_once(plex, server, movies):
    legacy = server.createCollection("Change of Taste (Ava)", server.library.sectionByID(1),
                                     items=[server.fetchItem(k) for k in movies[:6]])
    sync(server, [spec("change_of_taste", "Ava", movies[5::-1])])
    plex.clear()

    sync(server, [spec("change_of_taste", "Ava", movies[5::-1])])

    assert plex.collection_sort(legacy.ratingKey) == 2
    assert plex.count("PUT", r"/prefs") == 0
