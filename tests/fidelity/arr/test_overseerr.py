"""The Overseerr double over HTTP: keys and users, requests, duplicates, quotas and lists."""

import requests

from tests.fakes.overseerr import APPROVED, MANAGE_REQUESTS, MANAGE_USERS, PENDING, REQUEST
from tests.fidelity.arr.api import Api


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


def test_overseerr_user_id_needs_manage_users_and_manage_requests(overseerr, catalog):
    overseerr.users[3]["permissions"] = MANAGE_USERS | REQUEST
    only_users = movie_request(Api(overseerr, "overseerr-key", **{"X-API-User": "3"}),
                               unrequested_movie(overseerr, catalog), userId=2)
    overseerr.users[3]["permissions"] = MANAGE_USERS | MANAGE_REQUESTS | REQUEST
    both = movie_request(Api(overseerr, "overseerr-key", **{"X-API-User": "3"}),
                         unrequested_movie(overseerr, catalog), userId=2)

    assert only_users.status_code == 403
    assert (both.status_code, both.json()["requestedBy"]["id"]) == (201, 2)
