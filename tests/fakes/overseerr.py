"""A stateful Overseerr (and Jellyseerr/Seerr) API double, after sct/overseerr 46a9b244.

A missing or wrong `X-Api-Key` is a 403 (`isAuthenticated`), not a 401; `X-API-User: <id>`
acts as that user; body `userId` is honoured only with MANAGE_USERS *and* MANAGE_REQUESTS or
ADMIN (MediaRequest.request; hasPermission defaults to "and"), else 403; quota → 403 "Movie
Quota exceeded." (QuotaRestrictedError); a movie requested again → 409, a TV request whose
seasons are all taken → 202 with a message; DELETE /request/{id} 204, unknown 404; /user pages
by take/skip with `pageInfo`, hiding `plexId`/`email` without MANAGE_USERS. Errors: {message}.
"""

from __future__ import annotations

import itertools

from tests.fakes.arr.base import now_iso
from tests.fakes.arr.checked import SchemaChecked
from tests.fakes.base import FakeServer, Request, Response, route
from tests.fakes.catalog import Catalog, Title

ADMIN, MANAGE_USERS, MANAGE_REQUESTS, REQUEST = 2, 8, 16, 32
AUTO_APPROVE, REQUEST_VIEW, REQUEST_MOVIE, REQUEST_TV = 128, 16384, 262144, 524288
PENDING, APPROVED, DECLINED = 1, 2, 3  # MediaRequestStatus
MEDIA_PENDING, MEDIA_PROCESSING = 2, 3  # MediaStatus
DEFAULT_USERS = (  # (id, name, permissions, plexId); suite.py swaps in the Plex doubles' people
    (1, "owner", ADMIN, 1), (2, "alice", REQUEST | AUTO_APPROVE, 2), (3, "bob", REQUEST, 3),
    (4, "charlie", REQUEST_MOVIE, 4),
)


def message(status: int, text: str) -> Response:
    return Response(status, {"message": text})


def can(user: dict, *permissions: int) -> bool:
    """Overseerr's hasPermission with type "or": admins can do anything."""
    return bool(user["permissions"] & ADMIN) or any(user["permissions"] & p for p in permissions)


def can_all(user: dict, *permissions: int) -> bool:
    """hasPermission with its default type "and" (server/lib/permissions.ts)."""
    return bool(user["permissions"] & ADMIN) or all(user["permissions"] & p for p in permissions)


class OverseerrDouble(SchemaChecked, FakeServer):
    """State: `users` {id: user}, `media_requests` {id: request}, `media` {(type, tmdbId):
    media}. (`requests` stays the HTTP log every double keeps.)

    Switch `quota_exceeded = True` to refuse every new request with Overseerr's 403;
    `reset()` restores the seeded users and requests.
    """

    name = "overseerr"
    schema_service = "overseerr"

    def __init__(self, catalog: Catalog, api_key: str = "overseerr-key",
                 users=DEFAULT_USERS, **kwargs):
        self.catalog, self.api_key, self.user_specs = catalog, api_key, tuple(users)
        super().__init__(**kwargs)
        self.reset_state()

    def reset(self) -> None:
        """Back to the seeded state, with an empty request log: cheaper than a new server."""
        self.clear()
        self.reset_state()

    def reset_state(self) -> None:
        with self.lock:
            self.quota_exceeded = False
            self.users = {spec[0]: self._user(*spec) for spec in self.user_specs}
            self.media_requests: dict[int, dict] = {}
            self.media: dict[tuple[str, int], dict] = {}
            self._next_request = itertools.count(1)
            self._next_media = itertools.count(1)
            self._seed()

    @staticmethod
    def _user(uid: int, name: str, permissions: int, plex_id: int) -> dict:
        stamp = now_iso()
        return {"id": uid, "email": f"{name}@example.com", "plexUsername": name,
                "username": None, "recoveryLinkExpirationDate": None, "userType": 1,
                "plexId": plex_id, "avatar": f"https://plex.tv/users/{uid}/avatar",
                "movieQuotaLimit": None, "movieQuotaDays": None, "tvQuotaLimit": None,
                "tvQuotaDays": None, "createdAt": stamp, "updatedAt": stamp,
                "requestCount": 0, "displayName": name, "permissions": permissions,
                "warnings": []}

    def _seed(self) -> None:
        """Two movie requests (the admin's, approved; the third user's, pending) and a TV
        request (the second user's) for titles not in Plex."""
        ids = sorted(self.users)
        pick = [self.users[ids[min(i, len(ids) - 1)]] for i in (0, 2, 1)]
        movies = [t for t in self.catalog.movies if not t.in_plex][:2]
        shows = [t for t in self.catalog.shows if not t.in_plex and t.seasons > 1][:1]
        for t, user in zip(movies, pick[:2], strict=False):
            self._create(t, user, None)
        for t in shows:
            self._create(t, pick[2], [1])

    # auth -------------------------------------------------------------------------------------
    def acting_user(self, req: Request) -> dict | None:
        if req.headers.get("x-api-key") != self.api_key:
            return None
        uid = req.headers.get("x-api-user") or "1"  # the key alone acts as the admin
        return self.users.get(int(uid)) if uid.isdigit() else None

    def authorize(self, req: Request) -> Response | None:
        if req.path == "/api/v1/status" or not req.path.startswith("/api/v1/"):
            return None
        if self.acting_user(req) is None:
            return Response(403, {"status": 403, "error": "You do not have permission to "
                                                          "access this endpoint"})
        return None

    def error_body(self, status):
        return {"message": "Not Found" if status == 404 else f"HTTP {status}"}

    # shapes -----------------------------------------------------------------------------------
    def public_user(self, user: dict, viewer: dict) -> dict:
        if can(viewer, MANAGE_USERS):
            return dict(user)
        return {k: v for k, v in user.items() if k not in ("email", "plexId")}

    def _media_for(self, t: Title) -> dict:
        kind = "movie" if t.kind == "movie" else "tv"
        key = (kind, t.tmdb_id)
        if key not in self.media:
            stamp = now_iso()
            self.media[key] = {
                "id": next(self._next_media), "mediaType": kind, "tmdbId": t.tmdb_id,
                "tvdbId": t.tvdb_id, "imdbId": None, "status": MEDIA_PENDING, "status4k": 1,
                "createdAt": stamp, "updatedAt": stamp, "lastSeasonChange": stamp,
                "mediaAddedAt": None, "serviceId": None, "externalServiceId": None,
                "ratingKey": None, "requests": [],
            }
        return self.media[key]

    def _create(self, t: Title, user: dict, seasons: list[int] | None, is4k: bool = False,
                extra: dict | None = None) -> dict:
        media = self._media_for(t)
        approved = can(user, AUTO_APPROVE)
        status = APPROVED if approved else PENDING
        stamp = now_iso()
        request = {
            "id": next(self._next_request), "status": status, "createdAt": stamp,
            "updatedAt": stamp, "type": media["mediaType"], "is4k": is4k,
            "serverId": None, "profileId": None, "rootFolder": None, "languageProfileId": None,
            "tags": None, "isAutoRequest": False, **(extra or {}),
            "media": {k: v for k, v in media.items() if k != "requests"},
            "seasons": [{"id": n, "seasonNumber": n, "status": status, "createdAt": stamp,
                         "updatedAt": stamp} for n in seasons or []],
            "requestedBy": user, "modifiedBy": user if approved else None,
            "seasonCount": len(seasons or []),
        }
        with self.lock:
            if approved:  # an approved request is sent on to Radarr/Sonarr at once
                media["status"] = MEDIA_PROCESSING
            self.media_requests[request["id"]] = request
            media["requests"].append(request["id"])
            user["requestCount"] += 1
        return request

    def media_of(self, request: dict) -> dict:
        """The media row as it is now (its status moves after the request was made)."""
        media = self.media[(request["type"], request["media"]["tmdbId"])]
        return {k: v for k, v in media.items() if k != "requests"}

    def shown(self, request: dict) -> dict:
        """Requests go out as raw entities: their users keep email and plexId (only the
        /user list filters them)."""
        return dict(request, media=self.media_of(request))

    # routes -----------------------------------------------------------------------------------
    @route("GET", r"/api/v1/status")
    def status(self, req: Request):
        return {"version": "1.34.0", "commitTag": "local", "updateAvailable": False,
                "commitsBehind": 0, "restartRequired": False}

    @route("GET", r"/api/v1/auth/me")
    def me(self, req: Request):
        return self.acting_user(req)

    @route("GET", r"/api/v1/user")
    def list_users(self, req: Request):
        viewer = self.acting_user(req)
        take, skip = int(req.query.get("take") or 10), int(req.query.get("skip") or 0)
        users = sorted(self.users.values(), key=lambda u: u["id"])
        return {"pageInfo": self.page_info(len(users), take, skip),
                "results": [self.public_user(u, viewer) for u in users[skip:skip + take]]}

    @staticmethod
    def page_info(total: int, take: int, skip: int) -> dict:
        return {"pages": -(-total // take) if take else 0, "pageSize": take, "results": total,
                "page": -(-skip // take) + 1 if take else 1}

    @route("GET", r"/api/v1/request")
    def list_requests(self, req: Request):
        viewer = self.acting_user(req)
        take, skip = int(req.query.get("take") or 10), int(req.query.get("skip") or 0)
        wanted = self._filter(req.query.get("filter", "all"))
        found = [r for r in self.media_requests.values() if wanted(r)]
        if not can(viewer, MANAGE_REQUESTS, REQUEST_VIEW):
            found = [r for r in found if r["requestedBy"]["id"] == viewer["id"]]
        elif req.query.get("requestedBy"):
            found = [r for r in found if r["requestedBy"]["id"] == int(req.query["requestedBy"])]
        key = "updatedAt" if req.query.get("sort") == "modified" else "id"
        found.sort(key=lambda r: r[key], reverse=True)
        return {"pageInfo": self.page_info(len(found), take, skip),
                "results": [self.shown(r) for r in found[skip:skip + take]]}

    def _filter(self, name: str):
        statuses = {"approved": {APPROVED}, "processing": {APPROVED}, "available": {APPROVED},
                    "pending": {PENDING}, "unavailable": {PENDING, APPROVED},
                    "failed": {4}}.get(name, {PENDING, APPROVED, DECLINED, 4})
        media_ok = {"available": {5}, "processing": {1, 2, 3, 4},
                    "unavailable": {1, 2, 3, 4}}.get(name, {1, 2, 3, 4, 5})
        return lambda r: r["status"] in statuses and self.media_of(r)["status"] in media_ok

    @route("GET", r"/api/v1/request/(?P<rid>\d+)")
    def get_request(self, req: Request, rid: str):
        found = self.media_requests.get(int(rid))
        return self.shown(found) if found else message(404, "Request not found.")

    @route("DELETE", r"/api/v1/request/(?P<rid>\d+)")
    def delete_request(self, req: Request, rid: str):
        viewer = self.acting_user(req)
        found = self.media_requests.get(int(rid))
        if found is None:
            return message(404, "Request not found.")
        if not can(viewer, MANAGE_REQUESTS) and found["requestedBy"]["id"] != viewer["id"] \
                and found["status"] != PENDING:
            return message(401, "You do not have permission to delete this request.")
        with self.lock:
            del self.media_requests[found["id"]]
            media = self.media[(found["type"], found["media"]["tmdbId"])]
            media["requests"].remove(found["id"])
        return Response(204, None)

    @route("POST", r"/api/v1/request")
    def create_request(self, req: Request):
        body = req.json() or {}
        user, refused = self._requester(self.acting_user(req), body)
        if refused:
            return refused
        kind = body.get("mediaType")
        if kind not in ("movie", "tv"):
            return message(500, "Invalid media type")
        t = self.catalog.get("movie" if kind == "movie" else "show", body.get("mediaId") or 0)
        if t is None:
            what = "movie" if kind == "movie" else "TV show"
            return message(500, f"[TMDB] Failed to fetch {what} details: Request failed with "
                                "status code 404")
        extra = {k: body[k] for k in ("serverId", "profileId", "rootFolder") if k in body}
        if kind == "movie":
            return self._request_movie(t, user, bool(body.get("is4k")), extra)
        return self._request_tv(t, user, body.get("seasons") or [], bool(body.get("is4k")),
                                extra)

    def _requester(self, viewer: dict, body: dict) -> tuple[dict | None, Response | None]:
        """Who the request is for, or Overseerr's refusal (permission, quota)."""
        user = viewer
        if body.get("userId"):  # hasPermission([…]) defaults to type "and": both, or ADMIN
            if not can_all(viewer, MANAGE_USERS, MANAGE_REQUESTS):
                return None, message(403, "You do not have permission to modify the request "
                                          "user.")
            user = self.users.get(int(body["userId"]))
            if user is None:
                return None, message(500, 'Could not find any entity of type "User" matching '
                                          f'{{ "where": {{ "id": {body["userId"]} }} }}')
        movie = body.get("mediaType") == "movie"
        if not can(user, REQUEST, REQUEST_MOVIE if movie else REQUEST_TV):
            kind = "movie" if movie else "series"
            return None, message(403, f"You do not have permission to make {kind} requests.")
        if self.quota_exceeded:
            return None, message(403, "Movie Quota exceeded." if movie else
                                 "Series Quota exceeded.")
        return user, None

    def _taken(self, t: Title, is4k: bool) -> list[dict]:
        media = self.media.get(("movie" if t.kind == "movie" else "tv", t.tmdb_id))
        ids = media["requests"] if media else []
        mine = [self.media_requests[i] for i in ids]
        return [r for r in mine if r["is4k"] == is4k and r["status"] != DECLINED]

    def _request_movie(self, t: Title, user: dict, is4k: bool, extra: dict) -> Response:
        if self._taken(t, is4k):
            return message(409, "Request for this media already exists.")
        return Response(201, self.shown(self._create(t, user, None, is4k, extra)))

    def _request_tv(self, t: Title, user: dict, seasons, is4k: bool, extra: dict) -> Response:
        every = list(range(1, t.seasons + 1))
        asked = every if seasons == "all" else [int(n) for n in seasons]
        taken = {s["seasonNumber"] for r in self._taken(t, is4k) for s in r["seasons"]}
        if t.in_plex:  # Overseerr's Plex sync marks every season available already
            taken |= set(every)
        final = [n for n in asked if n not in taken]
        if not final:
            return message(202, "No seasons available to request")
        return Response(201, self.shown(self._create(t, user, final, is4k, extra)))
