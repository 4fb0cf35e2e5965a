"""The row sync core against the Plex double, through the real plexapi: items, order, custom
sort, pins, hub order, posters, request counts, and faults that must leave the old row."""

import os

os.environ.setdefault("PLEXAPI_CONFIG_PATH", os.devnull)

import random  # noqa: E402

import pytest  # noqa: E402
from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from plexapi.server import PlexServer  # noqa: E402

from recommendations.rows.apply import sync_section  # noqa: E402
from recommendations.rows.plan import RowSpec, apply_moves, plan_moves  # noqa: E402
from recommendations.rows.section import forget_learned  # noqa: E402
from tests.fakes.catalog import Catalog  # noqa: E402
from tests.fakes.plex.server import PlexServerDouble  # noqa: E402
from vault.clients import collections as rows_plex  # noqa: E402
from vault.clients.collections import PlexRows, uri_chunks  # noqa: E402

TOKEN = "plex-token"
OWNER, FRIEND = (True, True, False), (False, False, True)
JPEG = b"\xff\xd8\xff\xe0 poster"


@pytest.fixture(scope="module")
def double():
    plex = PlexServerDouble(Catalog(n_movies=600, n_shows=20, seed=4242), token=TOKEN).start()
    yield plex
    plex.stop()


@pytest.fixture
def plex(double, settings):
    # Row requests go through the pooled Plex session (vault.clients.http); without its
    # retries a planned fault reaches the sync, as it did on the server's own bare session.
    settings.VAULT_HTTP_RETRIES = 0
    for rk in list(double.collections):
        double._delete_collection(rk)
    double.release_order_on_create = False
    double.clear()
    forget_learned()
    return double


@pytest.fixture(scope="module")
def server(double):
    return PlexServer(double.url, TOKEN)


@pytest.fixture(scope="module")
def movies(server):
    data = server.query("/library/sections/1/all?type=1",
                        headers={"X-Plex-Container-Size": "5000"})
    return [int(el.get("ratingKey")) for el in data]


def spec(kind, viewer, items, pins=OWNER, poster=JPEG, legacy=False):
    base = {"recently_watched": "Based on your recently watched movie",
            "change_of_taste": "Change of Taste",
            "immaculate_taste": "Inspired by your Immaculate Taste",
            "fresh_out": "Fresh Out Of The Oven"}[kind]
    return RowSpec(kind, f"{base} ({viewer})", base, viewer, tuple(items), pins, poster, legacy)


def sync(server, specs, ledger=None, dry_run=False):
    ledger = {} if ledger is None else ledger
    result = sync_section(PlexRows(server, 1, "movie"), specs, ledger.get, dry_run)
    for _, outcome in result.rows:
        if outcome and outcome.poster_uploaded:
            ledger[outcome.collection] = outcome.poster_uploaded
    return result


def row(plex, title):
    col = plex.collection_by_title(1, title)
    assert col is not None, title
    return col


def hub_of(plex, col):
    return next(h for h in plex.hubs(1) if h["collection"] == col.rating_key)


def flags(hub):
    return hub["promotedToRecommended"], hub["promotedToOwnHome"], hub["promotedToSharedHome"]


# plan_moves ------------------------------------------------------------------------------------
def lis_length(seq):
    best = [1] * len(seq)
    for i in range(len(seq)):
        for j in range(i):
            if seq[j] < seq[i]:
                best[i] = max(best[i], best[j] + 1)
    return max(best, default=0)


@given(st.permutations(list(range(40))).flatmap(
    lambda p: st.tuples(st.just(p), st.permutations(p))))
def test_plan_moves_reaches_desired_with_n_minus_lis_moves(orders):
    current, desired = list(orders[0]), list(orders[1])

    moves = plan_moves(current, desired)

    position = {item: i for i, item in enumerate(desired)}
    assert apply_moves(current, moves) == desired
    assert len(moves) == len(desired) - lis_length([position[i] for i in current])


def test_plan_moves_same_order_needs_no_move():
    assert plan_moves([3, 1, 2], [3, 1, 2]) == []


def test_plan_moves_one_item_out_of_place_is_one_move():
    assert plan_moves([1, 2, 3, 4, 5], [1, 2, 5, 3, 4]) == [(5, 2)]
    assert plan_moves([1, 2, 3], [3, 1, 2]) == [(3, None)]


def test_plan_moves_different_items_are_refused():
    with pytest.raises(ValueError):
        plan_moves([1, 2], [1, 3])


# sync against the double -----------------------------------------------------------------------
def test_sync_builds_rows_in_order_with_sort_pins_hub_order_and_poster(plex, server, movies):
    picks = random.Random(1).sample(movies, 60)
    specs = [spec("immaculate_taste", "Ava", picks[:20]),  # listed out of hub order on purpose
             spec("recently_watched", "Ava", picks[20:30]),
             spec("fresh_out", "Ava", picks[30:35], pins=(False, True, False)),
             spec("change_of_taste", "Ava", picks[35:45]),
             spec("recently_watched", "Bea", picks[45:55], pins=FRIEND),
             spec("change_of_taste", "Bea", picks[55:60], pins=FRIEND)]

    result = sync(server, specs)

    assert all(outcome.ok for _, outcome in result.rows)
    for s in specs:
        col = row(plex, s.title)
        assert plex.collection_items(col.rating_key) == list(s.items)
        assert plex.collection_view(col.rating_key) == list(s.items)
        assert plex.collection_sort(col.rating_key) == 2
        assert flags(hub_of(plex, col)) == s.pins
        assert plex.poster(col.rating_key) == JPEG
    titles = [h["title"] for h in plex.hubs(1) if h["collection"]]
    assert titles == ["Based on your recently watched movie (Ava)",
                      "Based on your recently watched movie (Bea)", "Change of Taste (Ava)",
                      "Change of Taste (Bea)", "Inspired by your Immaculate Taste (Ava)",
                      "Fresh Out Of The Oven (Ava)"]
    assert plex.hubs(1)[6]["identifier"] == "movie.inprogress"


def test_second_sync_with_nothing_changed_makes_no_write(plex, server, movies):
    specs = [spec("immaculate_taste", "Ava", movies[:30]),
             spec("change_of_taste", "Bea", movies[30:40], pins=FRIEND)]
    ledger = {}
    sync(server, specs, ledger)
    plex.clear()

    result = sync(server, specs, ledger)

    assert plex.writes() == 0
    assert plex.count() == 4  # collections, hubs, and each row's items once
    assert [plan.path for plan, _ in result.rows] == ["keep", "keep"]


def test_release_order_on_create_still_ends_in_desired_order(plex, server, movies):
    plex.release_order_on_create = True
    picks = random.Random(2).sample(movies, 150)
    specs = [spec("immaculate_taste", "Ava", picks), spec("change_of_taste", "Ava", picks[:40])]

    result = sync(server, specs)

    for s in specs:
        col = row(plex, s.title)
        assert plex.collection_items(col.rating_key) == list(s.items)
        assert plex.collection_view(col.rating_key) == list(s.items)
    assert [o.verified for _, o in result.rows] == [True, True]
    assert len([c for c in plex.collections.values()]) == 2  # the reordered try was deleted


def test_in_place_refresh_keeps_pin_and_hub_position(plex, server, movies):
    first, ledger = spec("immaculate_taste", "Ava", movies[:40]), {}
    sync(server, [first], ledger)
    col = row(plex, first.title)
    hubs_before = [h["identifier"] for h in plex.hubs(1)]
    plex.clear()
    changed = list(movies[:40])
    changed[5], changed[6] = changed[6], changed[5]
    changed[10] = movies[50]  # one title out, one in

    result = sync(server, [spec("immaculate_taste", "Ava", changed)], ledger)

    plan, outcome = result.rows[0]
    assert (plan.path, outcome.ok, outcome.collection) == ("update", True, col.rating_key)
    assert plex.collection_items(col.rating_key) == changed
    assert [h["identifier"] for h in plex.hubs(1)] == hubs_before
    assert flags(hub_of(plex, col)) == OWNER
    # one add, one removal, two moves, one read-back; no pin, poster or create
    assert plex.count("PUT", r"/items$") == 1 and plex.count("DELETE") == 1
    assert plex.count("PUT", r"/move$") == 2 and plex.count("POST") == 0


def test_large_change_recreates_and_pins_again_in_the_same_place(plex, server, movies):
    sync(server, [spec("recently_watched", "Ava", movies[:30]),
                  spec("immaculate_taste", "Ava", movies[30:60])])
    old = row(plex, "Inspired by your Immaculate Taste (Ava)")
    order_before = [h["title"] for h in plex.hubs(1)]
    shuffled = random.Random(3).sample(movies[30:60], 30)

    result = sync(server, [spec("immaculate_taste", "Ava", shuffled)])

    new = row(plex, "Inspired by your Immaculate Taste (Ava)")
    assert result.rows[0][0].path == "recreate" and new.rating_key != old.rating_key
    assert old.rating_key not in plex.collections
    assert plex.collection_items(new.rating_key) == shuffled
    assert [h["title"] for h in plex.hubs(1)] == order_before
    assert flags(hub_of(plex, new)) == OWNER and plex.poster(new.rating_key) == JPEG


def test_failed_create_keeps_the_previous_row_and_reports_why(plex, server, movies):
    sync(server, [spec("immaculate_taste", "Ava", movies[:30])])
    old = row(plex, "Inspired by your Immaculate Taste (Ava)")
    plex.fault(status=500, path=r"^/library/collections/?$", method="POST")

    result = sync(server, [spec("immaculate_taste", "Ava", movies[40:70])])

    plan, outcome = result.rows[0]
    assert plan.path == "recreate" and not outcome.ok
    assert outcome.error["step"] == "create collection" and outcome.error["transient"]
    assert "Plex" in outcome.error["reason"] and "500" in outcome.error["reason"]
    assert [c.rating_key for c in plex.collections.values()] == [old.rating_key]
    assert plex.collection_items(old.rating_key) == movies[:30]
    assert flags(hub_of(plex, old)) == OWNER


def test_failed_add_keeps_the_previous_row_and_reports_why(plex, server, movies):
    sync(server, [spec("immaculate_taste", "Ava", movies[:30])])
    old = row(plex, "Inspired by your Immaculate Taste (Ava)")
    plex.fault(status=503, path=r"/library/collections/\d+/items$", method="PUT")

    result = sync(server, [spec("immaculate_taste", "Ava", movies[:30] + movies[30:32])])

    plan, outcome = result.rows[0]
    assert plan.path == "update" and not outcome.ok
    assert outcome.error["step"] == "add items" and "Plex" in outcome.error["reason"]
    assert outcome.rollback == "restored the previous items and order"
    assert plex.collection_items(old.rating_key) == movies[:30]


def test_failed_move_restores_the_previous_items_and_order(plex, server, movies):
    sync(server, [spec("immaculate_taste", "Ava", movies[:30])])
    old = row(plex, "Inspired by your Immaculate Taste (Ava)")
    changed = movies[:30] + [movies[40]]
    changed[0], changed[1], changed[2] = changed[2], changed[0], changed[1]
    plex.fault(status=500, path=r"/move$", method="PUT")

    result = sync(server, [spec("immaculate_taste", "Ava", changed)])

    outcome = result.rows[0][1]
    assert outcome.error["step"] == "move item"
    assert plex.collection_items(old.rating_key) == movies[:30]


def test_failed_pin_of_a_recreated_row_keeps_the_old_row(plex, server, movies):
    sync(server, [spec("immaculate_taste", "Ava", movies[:30])])
    old = row(plex, "Inspired by your Immaculate Taste (Ava)")
    plex.fault(status=500, path=r"^/hubs/sections/1/manage$", method="POST")

    result = sync(server, [spec("immaculate_taste", "Ava", movies[40:70])])

    assert result.rows[0][1].error["step"] == "pin row"
    assert [c.rating_key for c in plex.collections.values()] == [old.rating_key]


def test_empty_row_is_removed_not_left_empty(plex, server, movies):
    sync(server, [spec("change_of_taste", "Ava", movies[:5])])

    result = sync(server, [spec("change_of_taste", "Ava", [])])

    assert result.rows[0][0].path == "delete"
    assert plex.collection_by_title(1, "Change of Taste (Ava)") is None
    assert all(h["collection"] is None for h in plex.hubs(1))


def test_duplicate_rows_are_reduced_to_one(plex, server, movies):
    s = spec("change_of_taste", "Ava", movies[:5])
    sync(server, [s])
    extra = server.createCollection("change of taste (ava)", server.library.sectionByID(1),
                                    items=[server.fetchItem(movies[9])])

    sync(server, [s])

    kept = [c for c in plex.collections.values()]
    assert [c.title for c in kept] == [s.title] and extra.ratingKey not in plex.collections
    assert plex.collection_items(kept[0].rating_key) == movies[:5]


def test_owner_adopts_a_legacy_row_without_suffix_but_friends_do_not(plex, server, movies):
    legacy = server.createCollection("Change of Taste", server.library.sectionByID(1),
                                     items=[server.fetchItem(k) for k in movies[:3]])

    sync(server, [spec("change_of_taste", "Bea", movies[3:6], pins=FRIEND),
                  spec("change_of_taste", "Ava", movies[:4], legacy=True)])

    assert row(plex, "Change of Taste (Ava)").rating_key == legacy.ratingKey
    assert plex.collection_items(legacy.ratingKey) == movies[:4]
    assert plex.collection_items(row(plex, "Change of Taste (Bea)").rating_key) == movies[3:6]


def test_existing_row_in_release_sort_is_switched_to_custom_and_ordered(plex, server, movies):
    legacy = server.createCollection("Change of Taste (Ava)", server.library.sectionByID(1),
                                     items=[server.fetchItem(k) for k in movies[:6]])
    desired = movies[5::-1]

    sync(server, [spec("change_of_taste", "Ava", desired)])

    assert plex.collection_sort(legacy.ratingKey) == 2
    assert plex.collection_view(legacy.ratingKey) == desired


def test_dry_run_reads_but_never_writes_and_shows_the_diff(plex, server, movies):
    sync(server, [spec("immaculate_taste", "Ava", movies[:10])])
    plex.clear()
    changed = [movies[11]] + movies[:9]

    result = sync(server, [spec("immaculate_taste", "Ava", changed, pins=FRIEND)],
                  dry_run=True)

    diff = result.rows[0][0].as_dict()
    assert plex.writes() == 0 and result.rows[0][1] is None
    assert (diff["added"], diff["removed"]) == ([movies[11]], [movies[9]])
    assert diff["moved"] == [{"item": movies[11], "after": None}]
    assert diff["pins"]["to"] == {"library_recommended": False, "home": False,
                                  "friends_home": True}
    assert diff["poster"] == "upload"  # the ledger given was empty


def test_poster_is_uploaded_again_only_when_it_changes(plex, server, movies):
    ledger = {}
    sync(server, [spec("change_of_taste", "Ava", movies[:5])], ledger)
    plex.clear()

    sync(server, [spec("change_of_taste", "Ava", movies[:5], poster=b"\x89PNG new")], ledger)

    col = row(plex, "Change of Taste (Ava)")
    assert plex.count("POST", "/posters$") == 1 and plex.poster(col.rating_key) == b"\x89PNG new"
    assert plex.writes() == 1


# long rows -------------------------------------------------------------------------------------
def test_uri_chunks_keep_order_and_each_part_fits_the_budget():
    keys = list(range(1, 3000))

    chunks = uri_chunks(keys, budget=500)

    assert [k for chunk in chunks for k in chunk] == keys
    assert all(sum(len(str(k)) + 3 for k in chunk) <= 500 for chunk in chunks)
    assert uri_chunks([], budget=500) == []
    assert uri_chunks(keys[:800]) == [keys[:800]]  # a row this long still goes in one request


def test_long_row_is_sent_in_uri_chunks_and_ends_in_order(plex, server, movies, monkeypatch):
    monkeypatch.setattr(rows_plex, "URI_BUDGET", 300)  # ~50 ids a request instead of ~850
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
