"""plexapi on the Plex double's server, libraries and listings, at size too."""

from datetime import UTC, datetime, timedelta
from xml.etree import ElementTree

import pytest
import requests
from plexapi.exceptions import BadRequest, NotFound, Unauthorized
from plexapi.server import PlexServer

from tests.fakes.catalog import Catalog
from tests.fakes.plex.server import PlexServerDouble
from tests.fidelity.plex.support import TOKEN, PlexTvSession, expected_pages, pick, tmdb_id


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


# size ------------------------------------------------------------------------------------------
def test_twenty_thousand_movie_catalog_lists_in_few_requests():
    with PlexServerDouble(Catalog(n_movies=20_000, n_shows=10), token=TOKEN) as plex:
        server = PlexServer(plex.url, TOKEN)

        movies = server.library.sectionByID(1).all(container_size=1000)
        guids = [g.id for m in movies[::7] if m.guid.startswith("plex://") for g in m.guids]

        assert len(movies) == len(plex.library.sections[1].top) > 10_000
        assert plex.count() <= 30 and plex.count("GET", "/library/metadata") == 0
        assert len(guids) > 2_500


def test_listings_leave_out_what_the_request_excludes(plex):
    """Plex's "Response Customization" (developer.plex.tv/pms, API Info): excludeElements
    omits those child elements, excludeFields those attributes; a request without them gets
    the whole items (Media, Genre, summary), which plexapi's Movie reads."""
    def movies(query: str = ""):
        answer = requests.get(f"{plex.url}/library/sections/1/all{query}",
                              headers={"X-Plex-Token": TOKEN, "X-Plex-Container-Size": "5"},
                              timeout=5)
        return ElementTree.fromstring(answer.content).findall("Video")

    whole = movies("?includeGuids=1")
    light = movies("?includeGuids=1&excludeElements=Media,Genre,Guid&excludeFields=summary,"
                   "tagline")

    assert [m.get("ratingKey") for m in light] == [m.get("ratingKey") for m in whole]
    assert all(m.find("Media") is not None and m.find("Guid") is not None and m.get("summary")
               for m in whole)
    assert all(m.find("Media") is None and m.find("Genre") is None and m.find("Guid") is None
               for m in light)
    assert all(m.get("summary") is None and m.get("tagline") is None and m.get("title")
               and m.find("Country") is not None for m in light)
