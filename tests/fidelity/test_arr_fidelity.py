"""Radarr, Sonarr and Overseerr doubles driven over HTTP with requests, the way the app's
clients will: add, duplicate, re-monitor, bulk edit, commands, requests and their refusals."""

import pytest
import requests

from tests.fakes.arr.radarr import RadarrDouble
from tests.fakes.arr.sonarr import SonarrDouble
from tests.fakes.catalog import Catalog
from tests.fakes.overseerr import APPROVED, PENDING, OverseerrDouble
from tests.fakes.suite import start_all


class Api:
    """A keyed requests session rooted at one double."""

    def __init__(self, server, key: str, header: str = "X-Api-Key", **headers):
        self.base = server.url
        self.session = requests.Session()
        self.session.headers.update({header: key, **headers})

    def __getattr__(self, method):
        return lambda path, **kw: self.session.request(method.upper(), self.base + path,
                                                       timeout=5, **kw)


@pytest.fixture(scope="module")
def catalog():
    return Catalog(n_movies=300, n_shows=60)


@pytest.fixture(scope="module")
def servers(catalog):
    started = [RadarrDouble(catalog).start(), SonarrDouble(catalog).start(),
               OverseerrDouble(catalog).start()]
    yield started
    for server in started:
        server.stop()


@pytest.fixture
def radarr(servers):
    servers[0].reset()
    return servers[0]


@pytest.fixture
def sonarr(servers):
    servers[1].reset()
    return servers[1]


@pytest.fixture
def overseerr(servers):
    servers[2].reset()
    return servers[2]


def new_movie(radarr, catalog):
    return next(t for t in catalog.movies if not t.in_plex and not radarr.movie_by_tmdb(t.tmdb_id))


def new_show(sonarr, catalog):
    return next(t for t in catalog.shows
                if not t.in_plex and not t.upcoming and not sonarr.series_by_tvdb(t.tvdb_id))


# Radarr -------------------------------------------------------------------------------------------
def test_radarr_without_key_is_an_empty_401(radarr):
    answer = requests.get(f"{radarr.url}/api/v3/movie", timeout=5)

    assert (answer.status_code, answer.content) == (401, b"")


def test_radarr_accepts_the_key_as_query_parameter(radarr):
    answer = requests.get(f"{radarr.url}/api/v3/system/status",
                          params={"apikey": "radarr-key"}, timeout=5)

    assert answer.json()["appName"] == "Radarr"


def test_radarr_seed_has_monitored_and_unmonitored_movies(radarr):
    assert {m["monitored"] for m in radarr.movies.values()} == {True, False}
    assert {m["hasFile"] for m in radarr.movies.values()} == {True, False}


def test_radarr_lookup_then_add_creates_the_movie_and_queues_its_search(radarr, catalog):
    api, movie = Api(radarr, "radarr-key"), new_movie(radarr, catalog)
    looked_up = api.get("/api/v3/movie/lookup/tmdb", params={"tmdbId": movie.tmdb_id}).json()
    body = looked_up | {"qualityProfileId": 4, "rootFolderPath": "/data/movies",
                        "monitored": True, "minimumAvailability": "released", "tags": [1],
                        "addOptions": {"searchForMovie": True, "monitor": "movieOnly"}}

    added = api.post("/api/v3/movie", json=body)

    assert "id" not in looked_up
    assert added.status_code == 201
    assert api.get("/api/v3/movie", params={"tmdbId": movie.tmdb_id}).json() == [added.json()]
    search = radarr.commands_named("MoviesSearch")
    assert [c["body"]["movieIds"] for c in search] == [[added.json()["id"]]]


def test_radarr_duplicate_add_is_a_movie_exists_validation_error(radarr):
    api, seeded = Api(radarr, "radarr-key"), next(iter(radarr.movies.values()))
    body = {"tmdbId": seeded["tmdbId"], "title": seeded["title"], "qualityProfileId": 4,
            "rootFolderPath": "/data/movies"}

    answer = api.post("/api/v3/movie", json=body)

    assert answer.status_code == 400
    assert [(f["propertyName"], f["errorMessage"], f["errorCode"]) for f in answer.json()] == \
        [("TmdbId", "This movie has already been added", "MovieExistsValidator")]


def test_radarr_add_with_unknown_root_folder_is_refused(radarr, catalog):
    api, movie = Api(radarr, "radarr-key"), new_movie(radarr, catalog)

    answer = api.post("/api/v3/movie", json={"tmdbId": movie.tmdb_id, "qualityProfileId": 4,
                                             "rootFolderPath": "/nowhere"})

    assert answer.status_code == 400
    assert answer.json()[0]["errorCode"] == "RootFolderExistsValidator"
    assert radarr.movie_by_tmdb(movie.tmdb_id) is None


def test_radarr_lookup_of_unknown_tmdb_id_is_a_500(radarr):
    answer = Api(radarr, "radarr-key").get("/api/v3/movie/lookup/tmdb", params={"tmdbId": 1})

    assert (answer.status_code, "was not found" in answer.json()["message"]) == (500, True)


def test_radarr_put_remonitors_a_seeded_movie(radarr):
    api = Api(radarr, "radarr-key")
    movie = next(m for m in radarr.movies.values() if not m["monitored"])

    answer = api.put(f"/api/v3/movie/{movie['id']}", json=movie | {"monitored": True})

    assert (answer.status_code, answer.json()["monitored"]) == (202, True)
    assert radarr.movies[movie["id"]]["monitored"] is True


def test_radarr_put_without_path_is_a_validation_error(radarr):
    movie = next(iter(radarr.movies.values()))
    partial = {"id": movie["id"], "monitored": False, "qualityProfileId": 4}

    answer = Api(radarr, "radarr-key").put(f"/api/v3/movie/{movie['id']}", json=partial)

    assert (answer.status_code, answer.json()[0]["propertyName"]) == (400, "Path")
    assert radarr.movies[movie["id"]]["monitored"] == movie["monitored"]


def test_radarr_editor_unmonitors_many_at_once(radarr):
    ids = sorted(radarr.movies)[:3]

    answer = Api(radarr, "radarr-key").put("/api/v3/movie/editor",
                                           json={"movieIds": ids, "monitored": False})

    assert answer.status_code == 202
    assert [radarr.movies[i]["monitored"] for i in ids] == [False, False, False]


def test_radarr_command_is_recorded_then_reads_completed(radarr):
    api = Api(radarr, "radarr-key")
    ids = sorted(radarr.movies)[:2]

    posted = api.post("/api/v3/command", json={"name": "MoviesSearch", "movieIds": ids})
    listed = api.get(f"/api/v3/command/{posted.json()['id']}").json()

    assert (posted.status_code, posted.json()["status"]) == (201, "queued")
    assert (listed["status"], listed["body"]["movieIds"]) == ("completed", ids)
    assert radarr.commands_named("MoviesSearch", trigger="manual")[0]["id"] == listed["id"]


def test_radarr_unknown_command_is_a_500(radarr):
    answer = Api(radarr, "radarr-key").post("/api/v3/command", json={"name": "SearchAll"})

    assert (answer.status_code, answer.json()["message"]) == \
        (500, "Sequence contains no matching element")


def test_radarr_tag_post_reuses_an_existing_label(radarr):
    api = Api(radarr, "radarr-key")

    first = api.post("/api/v3/tag", json={"label": "Immaculaterr"}).json()
    again = api.post("/api/v3/tag", json={"label": "immaculaterr"}).json()

    assert first == again == {"id": 2, "label": "immaculaterr"}
    assert len(api.get("/api/v3/tag").json()) == 2


# Sonarr -------------------------------------------------------------------------------------------
def test_sonarr_lookup_answers_the_library_series_or_bare_metadata(sonarr, catalog):
    api = Api(sonarr, "sonarr-key")
    seeded = next(iter(sonarr.series.values()))
    fresh = new_show(sonarr, catalog)

    known = api.get("/api/v3/series/lookup", params={"term": f"tvdb:{seeded['tvdbId']}"}).json()
    unknown = api.get("/api/v3/series/lookup", params={"term": f"tvdb:{fresh.tvdb_id}"}).json()
    nothing = api.get("/api/v3/series/lookup", params={"term": "tvdb:1"}).json()

    assert [s["id"] for s in known] == [seeded["id"]]
    assert ["id" in s for s in unknown] == [False]
    assert nothing == []


def test_sonarr_add_applies_monitor_option_and_queues_missing_search(sonarr, catalog):
    api, show = Api(sonarr, "sonarr-key"), new_show(sonarr, catalog)
    found = api.get("/api/v3/series/lookup", params={"term": f"tvdb:{show.tvdb_id}"}).json()[0]
    body = found | {"qualityProfileId": 4, "languageProfileId": 1, "rootFolderPath": "/data/tv",
                    "monitored": True, "seasonFolder": True,
                    "addOptions": {"monitor": "firstSeason", "searchForMissingEpisodes": True}}

    added = api.post("/api/v3/series", json=body)

    assert added.status_code == 201
    series_id = added.json()["id"]
    episodes = api.get("/api/v3/episode", params={"seriesId": series_id}).json()
    assert {e["seasonNumber"] for e in episodes if e["monitored"]} == {1}
    assert [c["body"]["seriesId"] for c in sonarr.commands_named("MissingEpisodeSearch")] == \
        [series_id]


def test_sonarr_duplicate_add_is_a_series_exists_validation_error(sonarr):
    seeded = next(iter(sonarr.series.values()))
    body = seeded | {"qualityProfileId": 4}
    del body["id"]

    answer = Api(sonarr, "sonarr-key").post("/api/v3/series", json=body)

    assert (answer.status_code, answer.json()[0]["errorCode"]) == (400, "SeriesExistsValidator")


def test_sonarr_put_unmonitoring_a_season_unmonitors_its_episodes(sonarr):
    api = Api(sonarr, "sonarr-key")
    series = next(s for s in sonarr.series.values() if s["seasons"][0]["monitored"])
    seasons = [dict(s, monitored=s["seasonNumber"] != 1) for s in series["seasons"]]

    answer = api.put(f"/api/v3/series/{series['id']}", json=series | {"seasons": seasons})

    assert answer.status_code == 202
    season_one = api.get("/api/v3/episode", params={"seriesId": series["id"],
                                                    "seasonNumber": 1}).json()
    assert {e["monitored"] for e in season_one} == {False}


def test_sonarr_episode_monitor_put_flips_only_the_named_episodes(sonarr):
    api = Api(sonarr, "sonarr-key")
    series = next(s for s in sonarr.series.values() if not s["monitored"])
    episodes = sonarr.episodes_of(series["id"])
    chosen = [e["id"] for e in episodes[:2]]

    answer = api.put("/api/v3/episode/monitor", json={"episodeIds": chosen, "monitored": True})

    assert answer.status_code == 202
    assert [e["id"] for e in sonarr.episodes_of(series["id"]) if e["monitored"]] == chosen


def test_sonarr_search_commands_are_accepted_and_recorded(sonarr):
    api = Api(sonarr, "sonarr-key")
    series = next(iter(sonarr.series.values()))
    episode_ids = [e["id"] for e in sonarr.episodes_of(series["id"])[:2]]
    bodies = [{"name": "EpisodeSearch", "episodeIds": episode_ids},
              {"name": "SeasonSearch", "seriesId": series["id"], "seasonNumber": 1},
              {"name": "SeriesSearch", "seriesId": series["id"]},
              {"name": "MissingEpisodeSearch"}]

    statuses = [api.post("/api/v3/command", json=b).status_code for b in bodies]

    assert statuses == [201, 201, 201, 201]
    manual = [c["name"] for c in sonarr.commands if c["trigger"] == "manual"]
    assert manual == ["EpisodeSearch", "SeasonSearch", "SeriesSearch", "MissingEpisodeSearch"]


def test_sonarr_episode_list_needs_a_filter(sonarr):
    answer = Api(sonarr, "sonarr-key").get("/api/v3/episode")

    assert (answer.status_code, answer.json()["message"]) == \
        (400, "seriesId or episodeIds must be provided")


def test_sonarr_language_profile_is_the_v4_deprecated_one(sonarr):
    answer = Api(sonarr, "sonarr-key").get("/api/v3/languageprofile")

    assert [p["name"] for p in answer.json()] == ["Deprecated"]
    assert answer.headers["Deprecation"] == "true"


# Overseerr ----------------------------------------------------------------------------------------
def movie_request(api, t, **extra):
    return api.post("/api/v1/request", json={"mediaType": "movie", "mediaId": t.tmdb_id} | extra)


def unrequested_movie(overseerr, catalog):
    taken = {r["media"]["tmdbId"] for r in overseerr.media_requests.values()}
    return next(t for t in catalog.movies if not t.in_plex and t.tmdb_id not in taken)


def test_overseerr_status_is_public_but_the_rest_is_403_without_key(overseerr):
    status = requests.get(f"{overseerr.url}/api/v1/status", timeout=5)
    refused = requests.get(f"{overseerr.url}/api/v1/request", timeout=5)

    assert status.json()["version"]
    assert (refused.status_code, refused.json()["error"]) == \
        (403, "You do not have permission to access this endpoint")


def test_overseerr_key_alone_acts_as_the_admin(overseerr):
    me = Api(overseerr, "overseerr-key").get("/api/v1/auth/me").json()

    assert (me["id"], me["permissions"]) == (1, 2)


def test_overseerr_movie_request_then_duplicate_is_409(overseerr, catalog):
    api, movie = Api(overseerr, "overseerr-key"), unrequested_movie(overseerr, catalog)

    first = movie_request(api, movie)
    again = movie_request(api, movie)

    assert (first.status_code, first.json()["status"], first.json()["media"]["tmdbId"]) == \
        (201, APPROVED, movie.tmdb_id)
    assert (again.status_code, again.json()["message"]) == \
        (409, "Request for this media already exists.")


def test_overseerr_tv_request_of_taken_seasons_is_202_not_created(overseerr):
    api = Api(overseerr, "overseerr-key")
    seeded = next(r for r in overseerr.media_requests.values() if r["type"] == "tv")
    body = {"mediaType": "tv", "mediaId": seeded["media"]["tmdbId"],
            "tvdbId": seeded["media"]["tvdbId"], "seasons": [1]}
    before = len(overseerr.media_requests)

    answer = api.post("/api/v1/request", json=body)
    more = api.post("/api/v1/request", json=body | {"seasons": "all"})

    assert (answer.status_code, answer.json()["message"]) == \
        (202, "No seasons available to request")
    assert more.status_code == 201 and 1 not in [s["seasonNumber"] for s in more.json()["seasons"]]
    assert len(overseerr.media_requests) == before + 1


def test_overseerr_x_api_user_requests_as_that_user(overseerr, catalog):
    api = Api(overseerr, "overseerr-key", **{"X-API-User": "3"})
    movie = unrequested_movie(overseerr, catalog)

    made = movie_request(api, movie).json()

    assert (made["requestedBy"]["id"], made["status"]) == (3, PENDING)


def test_overseerr_admin_may_request_for_another_user(overseerr, catalog):
    api, movie = Api(overseerr, "overseerr-key"), unrequested_movie(overseerr, catalog)

    made = movie_request(api, movie, userId=2).json()

    assert (made["requestedBy"]["id"], made["requestedBy"]["plexId"]) == (2, 2)


def test_overseerr_plain_user_may_not_set_user_id(overseerr, catalog):
    api = Api(overseerr, "overseerr-key", **{"X-API-User": "3"})

    answer = movie_request(api, unrequested_movie(overseerr, catalog), userId=2)

    assert (answer.status_code, answer.json()["message"]) == \
        (403, "You do not have permission to modify the request user.")


def test_overseerr_quota_switch_refuses_with_403(overseerr, catalog):
    overseerr.quota_exceeded = True

    answer = movie_request(Api(overseerr, "overseerr-key"), unrequested_movie(overseerr, catalog))

    assert (answer.status_code, answer.json()["message"]) == (403, "Movie Quota exceeded.")


def test_overseerr_request_list_pages_and_filters(overseerr):
    api = Api(overseerr, "overseerr-key")

    page = api.get("/api/v1/request", params={"take": 2, "skip": 0}).json()
    pending = api.get("/api/v1/request", params={"filter": "pending"}).json()

    assert page["pageInfo"] == {"pages": 2, "pageSize": 2, "results": 3, "page": 1}
    assert [r["id"] for r in page["results"]] == [3, 2]
    assert {r["status"] for r in pending["results"]} == {PENDING}


def test_overseerr_delete_is_204_then_404(overseerr):
    api = Api(overseerr, "overseerr-key")

    gone = api.delete("/api/v1/request/1")
    again = api.delete("/api/v1/request/1")

    assert (gone.status_code, again.status_code, again.json()["message"]) == \
        (204, 404, "Request not found.")
    assert 1 not in overseerr.media_requests


def test_overseerr_users_show_plex_ids_to_managers_only(overseerr):
    admin = Api(overseerr, "overseerr-key").get("/api/v1/user", params={"take": 50}).json()
    plain = Api(overseerr, "overseerr-key", **{"X-API-User": "3"}).get("/api/v1/user").json()

    assert [u["plexId"] for u in admin["results"]] == [1, 2, 3, 4]
    assert ["plexId" in u for u in plain["results"]] == [False] * 4


# the suite ----------------------------------------------------------------------------------------
def test_suite_credentials_reach_every_double_without_plex(catalog):
    doubles = start_all(catalog, with_plex=False)
    try:
        creds = doubles.credentials()
        status = requests.get(f"{creds['radarr']['url']}/api/v3/system/status",
                              headers={"X-Api-Key": creds["radarr"]["key"]}, timeout=5)
        models = requests.get(f"{creds['openai']['base']}/models", timeout=5,
                              headers={"Authorization": f"Bearer {creds['openai']['key']}"})
    finally:
        doubles.stop()

    assert set(creds) == {"tmdb", "openai", "google", "radarr", "sonarr", "overseerr"}
    assert creds["tmdb"]["base"].endswith("/3")
    assert (status.status_code, models.status_code) == (200, 200)


def test_suite_includes_plex_doubles_when_present(catalog):
    pytest.importorskip("tests.fakes.plex")
    doubles = start_all(catalog)
    try:
        creds = doubles.credentials()
        users = Api(doubles.overseerr, creds["overseerr"]["key"]).get("/api/v1/user").json()
    finally:
        doubles.stop()

    assert {"plex", "plextv"} <= set(creds)
    assert len(users["results"]) == 4
