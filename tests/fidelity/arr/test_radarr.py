"""The Radarr double over HTTP: auth, lookup and add, re-monitor, bulk edit, commands, tags."""

import requests

from tests.fidelity.arr.api import Api


def new_movie(radarr, catalog):
    return next(t for t in catalog.movies if not t.in_plex and not radarr.movie_by_tmdb(t.tmdb_id))


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
