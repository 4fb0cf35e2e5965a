"""The row sync against the Plex double: items, order, custom sort, pins, hub order,
posters, request counts, and the plans for empty, duplicate, legacy and foreign rows."""

import random

from tests.recommendations.rowsync.helpers import (
    FRIEND,
    JPEG,
    OWNER,
    flags,
    hub_of,
    row,
    spec,
    sync,
)


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
