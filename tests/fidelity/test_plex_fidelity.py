"""The real, unpatched plexapi against the Plex and plex.tv doubles.

Each test proves one call the app relies on: what it returns and how many requests it costs.
(plexapi only reads its config file and never writes under the home directory.)
"""

import importlib
import os
import time
from datetime import UTC, datetime, timedelta

import django
import pytest
import requests
from django.apps import apps
from plexapi.exceptions import BadRequest, NotFound, Unauthorized
from plexapi.myplex import MyPlexAccount, MyPlexPinLogin
from plexapi.server import PlexServer

from tests.fakes.catalog import Catalog
from tests.fakes.plex.accounts import OWNER_PLEXTV_ID
from tests.fakes.plex.plextv import PlexTvDouble
from tests.fakes.plex.server import PlexServerDouble

if not apps.ready:  # run with `-p no:django`: importing vault.clients needs the app registry
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
    django.setup()
PlexTvSession = importlib.import_module("vault.clients.plextv").PlexTvSession

TOKEN = "plex-token"


@pytest.fixture(scope="module")
def catalog():
    return Catalog()


@pytest.fixture(scope="module")
def doubles(catalog):
    plex = PlexServerDouble(catalog, token=TOKEN).start()
    plextv = PlexTvDouble(plex, token=TOKEN).start()
    yield plex, plextv
    plextv.stop()
    plex.stop()


@pytest.fixture
def plex(doubles):
    doubles[0].clear()
    return doubles[0]


@pytest.fixture
def plextv(doubles):
    doubles[1].clear()
    return doubles[1]


@pytest.fixture(scope="module")
def server(doubles):
    plex, plextv = doubles
    return PlexServer(plex.url, TOKEN, session=PlexTvSession(plextv.url))


@pytest.fixture(scope="module")
def movies(server):
    return server.library.sectionByID(1)


@pytest.fixture(scope="module")
def all_movies(movies):
    return movies.all()


def pick(items, n=3):
    """A few movies with the new agent, by rating key."""
    return [i for i in items if i.guid.startswith("plex://")][10:10 + n]


def tmdb_id(item):
    return next((int(g.id[7:]) for g in item.guids if g.id.startswith("tmdb://")), None)


def expected_pages(total, size=100):
    return total // size + 1  # plexapi asks once more when total is a multiple of size


# server and libraries --------------------------------------------------------------------------
def test_connect_reads_server_identity(doubles):
    plex, plextv = doubles
    plex.clear()

    server = PlexServer(plex.url, TOKEN, session=PlexTvSession(plextv.url))

    assert (server.machineIdentifier, server.friendlyName, server.version) == (
        plex.machine_identifier, plex.friendly_name, plex.version)
    assert (server.myPlex, server.multiuser, server.platform) == (True, True, "Linux")
    assert plex.count("GET", "^/$") == 1


def test_connect_with_wrong_token_raises_unauthorized(plex):
    with pytest.raises(Unauthorized):
        PlexServer(plex.url, "wrong-token")

    assert plex.count() == 1


def test_token_in_query_string_is_accepted(plex):
    answer = requests.get(f"{plex.url}/library/sections?X-Plex-Token={TOKEN}", timeout=5)
    refused = requests.get(f"{plex.url}/library/sections", timeout=5)

    assert (answer.status_code, refused.status_code) == (200, 401)
    assert b'title="Kids Movies"' in answer.content


def test_sections_lists_three_libraries(doubles, plex):
    server = PlexServer(plex.url, TOKEN)
    plex.clear()

    sections = server.library.sections()

    assert [(s.key, s.title, s.type) for s in sections] == [
        (1, "Movies", "movie"), (2, "TV Shows", "show"), (3, "Kids Movies", "movie")]
    assert all(s.updatedAt and s.uuid and s.locations for s in sections)
    assert [r.path for r in plex.requests] == ["/library", "/library/sections"]


def test_section_timestamps_move_when_an_item_is_added(server, plex, catalog):
    newcomer = next(t for t in catalog.movies if not t.in_plex and not t.upcoming)
    before = {e.get("key"): dict(e.attrib) for e in server.query("/library/sections")}

    plex.add_item(1, newcomer)
    after = {e.get("key"): dict(e.attrib) for e in server.query("/library/sections")}

    assert int(after["1"]["updatedAt"]) > int(before["1"]["updatedAt"])
    assert int(after["1"]["scannedAt"]) > int(before["1"]["scannedAt"])
    assert int(after["1"]["contentChangedAt"]) == int(before["1"]["contentChangedAt"]) + 1
    assert after["2"] == before["2"]


# listings --------------------------------------------------------------------------------------
def test_section_all_movies_reads_guids_media_genres_without_reloads(movies, plex):
    items = movies.all()
    for item in items:
        assert item.title and item.year and item.addedAt and item.duration and item.updatedAt
        assert item.media and item.media[0].parts[0].file and item.genres
        if item.guid.startswith("plex://"):
            assert {g.id.split("://")[0] for g in item.guids} == {"imdb", "tmdb"}

    assert len(items) == len(plex.library.sections[1].top)
    assert plex.count("GET", "/library/sections/1/all") == expected_pages(len(items))
    assert plex.count("GET", "/library/metadata") == 0
    assert plex.requests[0].query == {"includeGuids": "1", "type": "1"}


def test_legacy_agent_movie_has_no_guid_children_so_guids_reloads(all_movies, plex):
    legacy = next(i for i in all_movies if i.guid.startswith("com.plexapp.agents.imdb://"))

    guids = legacy.guids

    assert guids == []
    assert legacy.guid.endswith("?lang=en") and "://tt" in legacy.guid
    assert plex.count("GET", f"^/library/metadata/{legacy.ratingKey}$") == 1


def test_movie_with_two_versions_has_two_media(all_movies, plex):
    twice = next(i for i in all_movies if len(i.media) == 2)

    resolutions = [m.videoResolution for m in twice.media]
    files = [m.parts[0].file for m in twice.media]
    sizes = [m.parts[0].size for m in twice.media]

    assert resolutions == ["1080", "4k"]
    assert len(set(files)) == 2 and sizes[0] != sizes[1]
    assert plex.count() == 0


def test_section_all_shows_carry_tvdb_guids_and_counts(server, plex):
    shows = server.library.sectionByID(2).all()
    show = shows[0]

    assert {g.id.split("://")[0] for g in show.guids} == {"imdb", "tmdb", "tvdb"}
    assert show.childCount == len(plex.library.items[show.ratingKey].children)
    assert show.leafCount > 0 and show.viewedLeafCount == 0
    assert plex.count("GET", "/library/metadata") == 0


def test_show_seasons_and_episodes_are_reachable(server, plex):
    show = server.library.sectionByID(2).all(maxresults=1)[0]

    seasons = show.seasons()
    episodes = seasons[0].episodes()
    every = show.episodes()

    assert [s.index for s in seasons] == list(range(1, show.childCount + 1))
    first = episodes[0]
    assert (first.grandparentTitle, first.grandparentRatingKey, first.parentIndex,
            first.index) == (show.title, show.ratingKey, 1, 1)
    assert len(every) == show.leafCount and first.media and first.guids
    assert plex.count("GET", "/library/metadata/[0-9]+$") == 0


def test_search_title_finds_matching_movie(movies, all_movies, plex):
    wanted = all_movies[40]

    found = movies.search(title=wanted.title)

    assert wanted.ratingKey in [m.ratingKey for m in found]
    assert all(wanted.title.lower() in m.title.lower() for m in found)
    assert plex.requests[-1].query["title"] == wanted.title


def test_search_exact_title_matches_only_whole_titles(movies, all_movies, plex):
    wanted = all_movies[40]

    found = movies.search(**{"title==": wanted.title})

    assert {m.title for m in found} == {wanted.title}
    assert plex.requests[-1].query["title="] == wanted.title  # plexapi sends `title%3D=`


def test_search_added_after_returns_only_new_items(server, plex, catalog):
    section = server.library.sectionByID(3)
    since = datetime.now(UTC) - timedelta(hours=1)
    kid = next(t for t in catalog.movies if t.in_plex and 16 in t.genre_ids
               and plex.rating_key_for(t.tmdb_id, library_key=3) is None)
    new_key = plex.add_item(3, kid)

    recent = section.search(filters={"addedAt>>": since})
    updated = section.search(**{"updatedAt>>": since})

    assert [m.ratingKey for m in recent] == [new_key] == [m.ratingKey for m in updated]
    assert plex.requests[-2].query["addedAt>>"] == str(int(since.timestamp()))
    assert plex.count("GET", "/library/sections/3/(all|collections)$") == 4  # 2 Meta + 2 pages


def test_sort_by_added_at_descending(movies, plex):
    newest = movies.search(sort="addedAt:desc", maxresults=5)

    added = [m.addedAt for m in newest]
    assert added == sorted(added, reverse=True) and len(added) == 5
    assert plex.requests[-1].query["sort"] == "movie.addedAt:desc"


def test_paging_honours_maxresults_and_container_size(movies, plex):
    found = movies.search(maxresults=7, container_size=3)

    pages = [(r.headers["x-plex-container-start"], r.headers["x-plex-container-size"])
             for r in plex.requests]
    assert len(found) == 7
    assert pages == [("0", "3"), ("3", "3"), ("6", "1")]


def test_paging_by_query_parameters_reports_sizes(plex):
    answer = requests.get(f"{plex.url}/library/sections/2/all", timeout=5, params={
        "type": 4, "X-Plex-Container-Start": 5, "X-Plex-Container-Size": 7, "X-Plex-Token": TOKEN,
        "includeSomethingNew": 1})

    head = answer.text.split(">", 2)[1]
    episodes = sum(len(plex.library.leaves(plex.library.items[k]))
                   for k in plex.library.sections[2].top)
    assert 'size="7"' in head and 'offset="5"' in head and f'totalSize="{episodes}"' in head
    assert answer.text.count('type="episode"') == 7


def test_episode_listing_carries_show_fields(server, plex):
    episodes = server.library.sectionByID(2).searchEpisodes(maxresults=3)

    assert all(e.grandparentTitle and e.grandparentRatingKey and e.parentIndex for e in episodes)
    assert plex.requests[-1].query["type"] == "4"


def test_malformed_filter_value_is_a_bad_request(server):
    with pytest.raises(BadRequest):
        server.query("/library/sections/1/all?addedAt%3E%3E=yesterday")


def test_fetch_item_and_fetch_items(server, all_movies, plex):
    a, b, c = pick(all_movies)

    one = server.fetchItem(a.ratingKey)
    several = server.fetchItems([c.ratingKey, a.ratingKey, b.ratingKey])

    assert (one.title, one.guids[0].id) == (a.title, a.guids[0].id)
    assert [m.ratingKey for m in several] == [c.ratingKey, a.ratingKey, b.ratingKey]
    assert [r.path for r in plex.requests] == [
        f"/library/metadata/{a.ratingKey}",
        f"/library/metadata/{c.ratingKey},{a.ratingKey},{b.ratingKey}"]


def test_fetch_unknown_item_raises_not_found(server):
    with pytest.raises(NotFound):
        server.fetchItem(99_999_999)


def test_kids_library_shares_some_titles_with_movies_under_other_keys(server, plex):
    kids = server.library.sectionByID(3).all()

    shared = [k for k in kids if tmdb_id(k) and plex.rating_key_for(tmdb_id(k), library_key=1)]

    assert 24 <= len(kids) <= 40 and 0 < len(shared) < len(kids)
    for kid in shared:
        assert plex.rating_key_for(tmdb_id(kid), library_key=1) != kid.ratingKey
        assert plex.rating_key_for(tmdb_id(kid), library_key=3) == kid.ratingKey


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


# sessions, history, accounts -------------------------------------------------------------------
def test_sessions_carry_user_player_and_session(server, all_movies, plex):
    plex.clear_sessions()
    movie = all_movies[3]
    key = plex.set_session(2, movie.ratingKey, 60_000, state="paused")

    playing = server.sessions()

    assert [(s.ratingKey, s.sessionKey, s.viewOffset, s.usernames) for s in playing] == [
        (movie.ratingKey, key, 60_000, ["Bea"])]
    player, session = playing[0].player, playing[0].session
    assert (player.state, player.title, bool(player.machineIdentifier)) == (
        "paused", "Bea's iPhone", True)
    assert session.id and playing[0].librarySectionID == 1 and playing[0].duration


def test_episode_session_has_grandparent_fields_and_ends(server, plex):
    plex.clear_sessions()
    show = server.library.sectionByID(2).all(maxresults=1)[0]
    episode = show.episodes()[0]
    key = plex.set_session(1, episode.ratingKey, 1_000)

    playing = server.sessions()[0]
    plex.end_session(key)

    assert (playing.grandparentTitle, playing.grandparentRatingKey, playing.parentIndex,
            playing.index, playing.TYPE) == (show.title, show.ratingKey, 1, 1, "episode")
    assert server.sessions() == []


def test_session_user_resolves_through_plextv(server, all_movies, plex):
    plex.clear_sessions()
    plex.set_session(3, all_movies[4].ratingKey, 5_000)
    plex.set_session(1, all_movies[5].ratingKey, 5_000)

    users = {s.ratingKey: s.user for s in server.sessions()}

    assert users[all_movies[4].ratingKey].id == 3
    assert users[all_movies[5].ratingKey].id == OWNER_PLEXTV_ID
    plex.clear_sessions()


def test_history_filters_by_account_and_mindate(server, all_movies, plex):
    now = int(time.time())
    old = plex.add_history(2, all_movies[6].ratingKey, viewed_at=now - 30 * 86400)
    recent = [plex.add_history(2, m.ratingKey, viewed_at=now - n) for n, m in
              enumerate(all_movies[7:10])]
    plex.add_history(3, all_movies[10].ratingKey, viewed_at=now)

    rows = server.history(accountID=2, mindate=datetime.now(UTC) - timedelta(days=7))

    assert [r.historyKey for r in rows] == [f"/status/sessions/history/{h}" for h in recent]
    assert {r.accountID for r in rows} == {2} and old not in recent
    assert rows[0].viewedAt > rows[-1].viewedAt
    assert plex.requests[-1].query["viewedAt>"] and plex.requests[-1].query["accountID"] == "2"


def test_history_of_episodes_names_the_show_by_key(server, plex):
    episode = server.library.sectionByID(2).all(maxresults=1)[0].episodes()[0]
    plex.add_history(4, episode.ratingKey)

    row = server.history(accountID=4, maxresults=1)[0]

    assert (row.grandparentKey, row.parentIndex, row.index) == (episode.grandparentKey, 1, 1)
    assert row.grandparentRatingKey is None  # a real server leaves it out of history rows


def test_system_accounts_match_plextv_users(server, plex):
    accounts = {a.id: a.name for a in server.systemAccounts()}
    users = {u.id: u.title for u in server.myPlexAccount().users()}

    assert accounts == {0: "", 1: "Ava Owner", 2: "Bea", 3: "Cy", 4: "Kiddo"}
    assert users == {2: "Bea", 3: "Cy", 4: "Kiddo"}


# plex.tv ---------------------------------------------------------------------------------------
def test_my_plex_account_and_users_through_the_session(doubles, plextv):
    account = MyPlexAccount(token=TOKEN, session=PlexTvSession(plextv.url))

    users = account.users()

    assert (account.id, account.username, account.title, account.subscriptionActive) == (
        OWNER_PLEXTV_ID, "avaowner", "Ava Owner", True)
    kiddo = next(u for u in users if u.title == "Kiddo")
    assert (kiddo.home, kiddo.username, kiddo.restricted) == (True, "", "1")
    assert {s.machineIdentifier for u in users for s in u.servers} == {
        doubles[0].machine_identifier}
    assert [r.path for r in plextv.requests] == ["/api/v2/user", "/api/users/"]


def test_plextv_with_wrong_token_raises_unauthorized(plextv):
    with pytest.raises(Unauthorized):
        MyPlexAccount(token="nope", session=PlexTvSession(plextv.url))


def test_resources_offer_the_server_with_local_and_relay_connections(doubles, plextv):
    plex = doubles[0]
    account = MyPlexAccount(token=TOKEN, session=PlexTvSession(plextv.url))

    servers = [r for r in account.resources() if "server" in r.provides]
    local = servers[0].preferred_connections(locations=["local"])

    assert [(s.clientIdentifier, s.owned, s.accessToken) for s in servers] == [
        (plex.machine_identifier, True, TOKEN)]
    assert [(c.local, c.relay) for c in servers[0].connections] == [(True, False), (False, True)]
    assert PlexServer(local[0], servers[0].accessToken).machineIdentifier == \
        plex.machine_identifier


def test_pin_login_oauth_reaches_a_token(plextv):
    login = MyPlexPinLogin(oauth=True, session=PlexTvSession(plextv.url))

    url = login.oauthUrl()
    waiting = login.checkLogin()
    plextv.authorize_pin(plextv.last_pin().id)
    done = login.checkLogin()

    assert "code=" + plextv.last_pin().code in url and plextv.requests[0].query == {
        "strong": "True"}
    assert (waiting, done, login.token) == (False, True, TOKEN)


def test_pin_login_without_oauth_gets_a_four_character_code(plextv):
    login = MyPlexPinLogin(session=PlexTvSession(plextv.url))

    code = login.pin

    assert len(code) == 4 and code == plextv.last_pin().code
    assert plextv.requests[-1].query == {}


def test_pin_login_thread_finishes_when_plextv_authorizes(plextv):
    plextv.auto_authorize_after = 1
    login = MyPlexPinLogin(oauth=True, session=PlexTvSession(plextv.url))
    try:
        login.run(timeout=10)
        assert login.waitForLogin() is True
    finally:
        plextv.auto_authorize_after = None

    assert login.token == TOKEN


def test_pin_is_only_answered_to_the_client_that_made_it(plextv):
    MyPlexPinLogin(oauth=True, session=PlexTvSession(plextv.url)).oauthUrl()
    pin = plextv.last_pin()

    other = MyPlexPinLogin(oauth=True, session=PlexTvSession(plextv.url),
                           headers={"X-Plex-Client-Identifier": "someone-else"})
    other._id = pin.id

    with pytest.raises(BadRequest):
        other._checkLogin()


def test_plextv_session_leaves_other_hosts_and_real_plextv_alone():
    session = PlexTvSession("http://127.0.0.1:9/")

    assert session.rewrite("https://plex.tv/api/v2/user") == "http://127.0.0.1:9/api/v2/user"
    assert session.rewrite("https://clients.plex.tv/api/v2/pins") == \
        "http://127.0.0.1:9/api/v2/pins"
    assert session.rewrite("http://192.168.1.5:32400/") == "http://192.168.1.5:32400/"
    assert PlexTvSession().rewrite("https://plex.tv/api/v2/user") == \
        "https://plex.tv/api/v2/user"


# size ------------------------------------------------------------------------------------------
def test_twenty_thousand_movie_catalog_lists_in_few_requests():
    with PlexServerDouble(Catalog(n_movies=20_000, n_shows=10), token=TOKEN) as plex:
        server = PlexServer(plex.url, TOKEN)

        movies = server.library.sectionByID(1).all(container_size=1000)
        guids = [g.id for m in movies[::7] if m.guid.startswith("plex://") for g in m.guids]

        assert len(movies) == len(plex.library.sections[1].top) > 10_000
        assert plex.count() <= 30 and plex.count("GET", "/library/metadata") == 0
        assert len(guids) > 2_500
