"""plexapi on the Plex double's collections and managed hubs."""

import time

import pytest
from plexapi.exceptions import NotFound

from tests.fidelity.plex.support import pick


# collections -----------------------------------------------------------------------------------
@pytest.fixture
def trio(all_movies):
    return pick(all_movies)


def uniq(name):
    return f"{name} {time.monotonic_ns()}"


def test_create_collection_keeps_uri_order_in_one_post(server, movies, trio, plex):
    a, b, c = trio

    col = server.createCollection(uniq("Row"), movies, items=[c, a, b])

    assert plex.count() == 1 and plex.writes() == 1
    assert plex.requests[0].query["uri"] == (
        f"server://{plex.machine_identifier}/com.plexapp.plugins.library/library/metadata/"
        f"{c.ratingKey},{a.ratingKey},{b.ratingKey}")
    assert plex.collection_items(col.ratingKey) == [c.ratingKey, a.ratingKey, b.ratingKey]
    assert (col.childCount, col.collectionSort, col.smart, col.subtype) == (3, 0, False, "movie")


def test_collection_items_follow_release_order_until_sort_is_custom(server, movies, trio, plex):
    col = server.createCollection(uniq("Row"), movies, items=trio[::-1])
    by_release = sorted(trio, key=lambda m: (m.originallyAvailableAt, m.title))
    plex.clear()

    shown = [m.ratingKey for m in col.items()]
    col.sortUpdate("custom")
    custom = [m.ratingKey for m in server.fetchItem(col.ratingKey).items()]

    assert shown == [m.ratingKey for m in by_release]
    assert custom == [m.ratingKey for m in trio[::-1]] and plex.collection_sort(col.ratingKey) == 2
    assert [(r.method, r.path, r.query.get("includePreferences") or r.query.get(
        "collectionSort")) for r in plex.requests[1:3]] == [
        ("GET", f"/library/collections/{col.ratingKey}", "1"),
        ("PUT", f"/library/collections/{col.ratingKey}/prefs", "2")]


def test_release_order_switch_stores_new_collections_by_release(doubles, server, movies, trio):
    plex = doubles[0]
    plex.release_order_on_create = True
    try:
        col = server.createCollection(uniq("Row"), movies, items=trio[::-1])
    finally:
        plex.release_order_on_create = False

    by_release = sorted(trio, key=lambda m: (m.originallyAvailableAt, m.title))
    assert plex.collection_items(col.ratingKey) == [m.ratingKey for m in by_release]


def test_add_items_appends_with_one_put(server, movies, all_movies, trio, plex):
    col = server.createCollection(uniq("Row"), movies, items=trio[:1])
    more = pick(all_movies, 8)[4:8]
    plex.clear()

    col.addItems(more)

    assert plex.count() == 1 and plex.requests[0].method == "PUT"
    assert plex.requests[0].path == f"/library/collections/{col.ratingKey}/items"
    assert plex.collection_items(col.ratingKey) == [trio[0].ratingKey] + [m.ratingKey for m in more]


def test_remove_items_costs_one_delete_each(server, movies, trio, plex):
    col = server.createCollection(uniq("Row"), movies, items=trio)
    plex.clear()

    col.removeItems(trio[:2])

    assert [(r.method, r.path) for r in plex.requests] == [
        ("DELETE", f"/library/collections/{col.ratingKey}/items/{m.ratingKey}") for m in trio[:2]]
    assert plex.collection_items(col.ratingKey) == [trio[2].ratingKey]


def test_move_item_after_another_and_to_front(server, movies, trio, plex):
    a, b, c = trio
    col = server.createCollection(uniq("Row"), movies, items=[a, b, c])

    col.moveItem(a, after=c)
    after_move = plex.collection_items(col.ratingKey)
    col.moveItem(c)

    assert after_move == [b.ratingKey, c.ratingKey, a.ratingKey]
    assert plex.collection_items(col.ratingKey) == [c.ratingKey, b.ratingKey, a.ratingKey]
    assert plex.requests[-1].query == {} and plex.requests[-2].query == {
        "after": str(c.ratingKey)}


def test_move_of_an_item_not_in_the_collection_raises_not_found(server, movies, trio):
    col = server.createCollection(uniq("Row"), movies, items=trio[:2])

    with pytest.raises(NotFound):
        col.moveItem(trio[2], after=trio[0])


def test_items_of_another_library_are_not_added(server, movies, trio, plex):
    kid = server.library.sectionByID(3).all(maxresults=1)[0]

    col = server.createCollection(uniq("Row"), movies, items=[trio[0], kid])

    assert plex.collection_items(col.ratingKey) == [trio[0].ratingKey]


def test_listing_items_name_the_collections_holding_them(server, movies, trio, plex):
    col = server.createCollection(uniq("Row"), movies, items=trio)
    plex.clear()

    listed = {m.ratingKey: m for m in movies.all()}
    tags = [[c.tag for c in listed[m.ratingKey].collections] for m in trio]

    assert all(col.title in t for t in tags)
    assert plex.count("GET", "/library/metadata") == 0  # members carry <Collection> tags


def test_edit_title_renames_the_collection(server, movies, trio, plex):
    col = server.createCollection(uniq("Row"), movies, items=trio)
    new_title = uniq("Renamed")

    col.editTitle(new_title)

    assert plex.collection_by_title(1, new_title).rating_key == col.ratingKey


def test_upload_poster_stores_the_bytes(server, movies, trio, plex, tmp_path):
    col = server.createCollection(uniq("Row"), movies, items=trio)
    art = tmp_path / "poster.jpg"
    art.write_bytes(b"\xff\xd8\xff\xe0 poster bytes")
    plex.clear()

    col.uploadPoster(filepath=str(art))
    posters = col.posters()

    assert plex.poster(col.ratingKey) == art.read_bytes()
    assert plex.requests[0].method == "POST"
    assert plex.requests[0].path == f"/library/metadata/{col.ratingKey}/posters"
    assert [p.selected for p in posters] == [True]
    assert server.fetchItem(col.ratingKey).thumb.startswith(f"/library/metadata/{col.ratingKey}")


def test_delete_collection_removes_it_and_its_hub(server, movies, trio, plex):
    col = server.createCollection(uniq("Row"), movies, items=trio)
    col.visibility().promoteHome()
    plex.clear()

    col.delete()

    assert plex.collection_by_title(1, col.title) is None
    assert [r.method for r in plex.requests] == ["DELETE"]
    assert all(h["collection"] != col.ratingKey for h in plex.hubs(1))
    with pytest.raises(NotFound):
        server.fetchItem(col.ratingKey)


def test_section_collections_lists_collections(server, movies, trio, plex):
    col = server.createCollection(uniq("Row"), movies, items=trio)
    plex.clear()

    found = movies.collections()

    assert col.ratingKey in [c.ratingKey for c in found]
    assert plex.requests[0].query == {"includeGuids": "1", "type": "18"}
    assert next(c for c in found if c.ratingKey == col.ratingKey).childCount == 3


# managed hubs ----------------------------------------------------------------------------------
def test_visibility_of_a_new_collection_is_unpromoted(server, movies, trio, plex):
    col = server.createCollection(uniq("Row"), movies, items=trio)

    hub = col.visibility()

    assert hub.identifier == f"custom.collection.1.{col.ratingKey}" and hub._promoted is False
    assert plex.requests[-1].query == {"metadataItemId": str(col.ratingKey)}


def test_promote_home_recommended_and_shared_set_the_flags(server, movies, trio, plex):
    col = server.createCollection(uniq("Row"), movies, items=trio)
    hub = col.visibility()

    hub.promoteHome()
    first = [(r.method, r.path) for r in plex.requests[-2:]]
    hub.promoteRecommended().promoteShared()

    mine = next(h for h in plex.hubs(1) if h["collection"] == col.ratingKey)
    assert first == [("POST", "/hubs/sections/1/manage"), ("GET", "/hubs/sections/1/manage")]
    assert plex.requests[-2].path == f"/hubs/sections/1/manage/{hub.identifier}"
    assert (mine["promotedToOwnHome"], mine["promotedToRecommended"],
            mine["promotedToSharedHome"]) == (True, True, True)
    assert (hub.homeVisibility, hub.recommendationsVisibility) == ("all", "all")


def test_hub_move_puts_it_after_another_or_first(server, movies, trio, plex):
    cols = [server.createCollection(uniq("Row"), movies, items=trio) for _ in range(2)]
    hubs = [c.visibility().promoteHome() for c in cols]

    hubs[1].move(after=hubs[0])
    order = [h["identifier"] for h in plex.hubs(1)]
    hubs[1].move()

    assert order.index(hubs[1].identifier) == order.index(hubs[0].identifier) + 1
    assert plex.hubs(1)[0]["identifier"] == hubs[1].identifier
    assert [h.identifier for h in movies.managedHubs()][0] == hubs[1].identifier


def test_hub_remove_demotes_the_collection(server, movies, trio, plex):
    col = server.createCollection(uniq("Row"), movies, items=trio)
    hub = col.visibility().promoteHome()

    hub.remove()

    assert plex.requests[-1].method == "DELETE"
    assert plex.requests[-1].path == f"/hubs/sections/1/manage/{hub.identifier}"
    assert all(h["collection"] != col.ratingKey for h in plex.hubs(1))
    assert col.visibility()._promoted is False
