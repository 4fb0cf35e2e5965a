"""A stateful Radarr v3 API double, plus the *arr plumbing Sonarr's double shares.

Shapes and refusals follow Radarr's source: API key by `X-Api-Key`, `?apikey=` or Bearer (401
with an empty body otherwise); validation failures are a 400 JSON list of FluentValidation
failures; `/movie/lookup/tmdb` answers metadata without an `id`; a command name Radarr does
not know is a 500 ("Sequence contains no matching element").
"""

from __future__ import annotations

import itertools
from datetime import UTC, datetime

from tests.fakes.base import FakeServer, Request, Response, route
from tests.fakes.catalog import Catalog, Title

NEVER = "0001-01-01T00:00:00Z"


def now_iso() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def failure(prop: str, message: str, code: str, value=None) -> dict:
    return {"propertyName": prop, "errorMessage": message, "attemptedValue": value,
            "severity": "error", "errorCode": code,
            "formattedMessagePlaceholderValues": {"propertyName": prop, "propertyValue": value}}


def invalid(*failures: dict) -> Response:
    return Response(400, list(failures))


def error_model(status: int, message: str) -> Response:
    return Response(status, {"message": message, "description": message})


def round_robin(*lists):
    for group in itertools.zip_longest(*lists):
        yield from (x for x in group if x is not None)


def apply_tags(current: list[int], tags: list[int], how: str) -> list[int]:
    if how == "add":
        return sorted(set(current) | set(tags))
    if how == "remove":
        return sorted(set(current) - set(tags))
    return sorted(set(tags))


class ArrDouble(FakeServer):
    """What Radarr and Sonarr answer alike: auth, status, root folders, profiles, tags and
    the command queue. Subclasses set `app_name`, `version`, `media_root`, `known_commands`."""

    app_name = "Arr"
    version = "0.0.0.0"
    media_root = "/data/media"
    known_commands: tuple[str, ...] = ()

    def __init__(self, catalog: Catalog, api_key: str, seed: int, **kwargs):
        self.catalog = catalog
        self.api_key = api_key
        self.seed_count = seed
        super().__init__(**kwargs)
        self.reset_state()

    def reset(self) -> None:
        """Back to the seeded state, with an empty request log: cheaper than a new server."""
        self.clear()
        self.reset_state()

    def reset_state(self) -> None:
        with self.lock:
            self.root_folders = [{"id": 1, "path": self.media_root, "accessible": True,
                                  "freeSpace": 4_000_000_000_000, "unmappedFolders": []}]
            self.quality_profiles = [self._profile(1, "Any"), self._profile(4, "HD-1080p"),
                                     self._profile(5, "Ultra-HD")]
            self.tags = [{"id": 1, "label": "kids"}]
            self.commands: list[dict] = []
            self._next_id = itertools.count(1)
            self._next_command = itertools.count(1)

    @staticmethod
    def _profile(pid: int, name: str) -> dict:
        return {"id": pid, "name": name, "upgradeAllowed": True, "cutoff": 7, "items": [],
                "minFormatScore": 0, "cutoffFormatScore": 0, "formatItems": []}

    # auth and errors --------------------------------------------------------------------------
    def authorize(self, req: Request) -> Response | None:
        given = (req.query.get("apikey") or req.headers.get("x-api-key")
                 or req.headers.get("authorization", "").replace("Bearer ", ""))
        if req.path.startswith("/api/") and given != self.api_key:
            return Response(401, None)
        return None

    def error_body(self, status):
        return {"type": "https://tools.ietf.org/html/rfc9110#section-15.5.5",
                "title": "Not Found" if status == 404 else f"HTTP {status}", "status": status}

    # checks shared by movie and series writes -------------------------------------------------
    def profile_failures(self, body: dict) -> list[dict]:
        pid = body.get("qualityProfileId") or 0
        if any(p["id"] == pid for p in self.quality_profiles):
            return []
        return [failure("QualityProfileId", "Quality Profile does not exist",
                        "QualityProfileExistsValidator", pid)]

    def root_failures(self, body: dict) -> list[dict]:
        root = body.get("rootFolderPath")
        if body.get("path"):
            return []
        if not root:
            return [failure("RootFolderPath", "'Root Folder Path' must not be empty.",
                            "NotEmptyValidator", root)]
        if not any(f["path"] == root.rstrip("/") for f in self.root_folders):
            return [failure("RootFolderPath", f"Root folder '{root}' does not exist",
                            "RootFolderExistsValidator", root)]
        return []

    def tag_ids(self) -> set[int]:
        return {t["id"] for t in self.tags}

    # common routes ----------------------------------------------------------------------------
    @route("GET", r"/api/v3/system/status")
    def system_status(self, req: Request):
        return {"appName": self.app_name, "instanceName": self.app_name,
                "version": self.version, "buildTime": "2025-01-01T00:00:00Z",
                "isDebug": False, "isProduction": True, "isAdmin": False,
                "isUserInteractive": False, "startupPath": f"/app/{self.app_name.lower()}/bin",
                "appData": "/config", "osName": "ubuntu", "osVersion": "22.04",
                "isNetCore": True, "isLinux": True, "isOsx": False, "isWindows": False,
                "isDocker": True, "mode": "console", "branch": "main",
                "authentication": "forms", "databaseType": "sqLite", "urlBase": "",
                "runtimeVersion": "8.0.12", "runtimeName": ".NET",
                "startTime": "2025-01-01T00:00:00Z", "packageUpdateMechanism": "docker"}

    @route("GET", r"/api/v3/rootfolder")
    def rootfolders(self, req: Request):
        return self.root_folders

    @route("GET", r"/api/v3/qualityprofile")
    def qualityprofiles(self, req: Request):
        return self.quality_profiles

    @route("GET", r"/api/v3/tag")
    def list_tags(self, req: Request):
        return self.tags

    @route("POST", r"/api/v3/tag")
    def add_tag(self, req: Request):
        label = str((req.json() or {}).get("label") or "")
        if not label or not all(c.isalnum() or c == "-" for c in label):
            return invalid(failure("Label", "Allowed characters a-z, 0-9 and -",
                                   "RegularExpressionValidator", label))
        with self.lock:  # Radarr hands back the existing tag rather than a duplicate
            tag = next((t for t in self.tags if t["label"] == label.lower()), None)
            if tag is None:
                tag = {"id": max(self.tag_ids(), default=0) + 1, "label": label.lower()}
                self.tags.append(tag)
        return Response(201, tag)

    # commands ---------------------------------------------------------------------------------
    def queue_command(self, name: str, body: dict, trigger: str = "manual") -> dict:
        """Record a command; `trigger` is "manual" for API posts, "unspecified" for the ones
        the app queues itself (refresh after add, search on add)."""
        stamp = now_iso()
        command = {
            "id": next(self._next_command), "name": name, "commandName": name,
            "body": {**body, "name": name, "trigger": trigger, "sendUpdatesToClient": True,
                     "updateScheduledTask": True, "requiresDiskAccess": False,
                     "isExclusive": False, "isLongRunning": False, "suppressMessages": False},
            "priority": "normal", "status": "queued", "result": "unknown", "queued": stamp,
            "trigger": trigger, "stateChangeTime": stamp, "sendUpdatesToClient": True,
            "updateScheduledTask": True,
        }
        with self.lock:
            self.commands.append(command)
        return command

    def commands_named(self, name: str, trigger: str | None = None) -> list[dict]:
        return [c for c in self.commands
                if c["name"] == name and (trigger is None or c["trigger"] == trigger)]

    def _settle(self) -> None:
        """A command is answered as queued, then found finished by the next read."""
        with self.lock:
            for c in self.commands:
                if c["status"] == "queued":
                    c.update(status="completed", result="successful", started=c["queued"],
                             ended=now_iso(), message="Completed", duration="00:00:00.0100000")

    @route("POST", r"/api/v3/command")
    def post_command(self, req: Request):
        body = req.json() or {}
        name = next((k for k in self.known_commands
                     if k.lower() == str(body.get("name", "")).lower()), None)
        if name is None:
            return error_model(500, "Sequence contains no matching element")
        command = self.queue_command(name, {k: v for k, v in body.items() if k != "name"})
        return Response(201, dict(command))

    @route("GET", r"/api/v3/command")
    def list_commands(self, req: Request):
        self._settle()
        return self.commands

    @route("GET", r"/api/v3/command/(?P<cid>\d+)")
    def get_command(self, req: Request, cid: str):
        self._settle()
        found = next((c for c in self.commands if c["id"] == int(cid)), None)
        return found if found else Response(404, self.error_body(404))


class RadarrDouble(ArrDouble):
    """Radarr v5's /api/v3. State: `movies` {id: resource}, `commands`, `tags`, `exclusions`.

    Seeded with `seed` movies from the catalog, cycling missing / upcoming / already-in-Plex
    titles and alternating monitored, unmonitored, so "exists" and "re-monitor" paths are
    reachable from the first request; `reset()` restores that seed.
    """

    name = "radarr"
    app_name = "Radarr"
    version = "5.26.2.10099"
    media_root = "/data/movies"
    known_commands = ("MoviesSearch", "MissingMoviesSearch", "CutoffUnmetMoviesSearch",
                      "RefreshMovie", "RssSync", "RescanMovie", "DownloadedMoviesScan")

    def __init__(self, catalog: Catalog, api_key: str = "radarr-key", seed: int = 6,
                 **kwargs):
        super().__init__(catalog, api_key, seed, **kwargs)

    def reset_state(self) -> None:
        super().reset_state()
        self.movies: dict[int, dict] = {}
        self.exclusions: list[int] = []
        self._seed(self.seed_count)

    def _seed(self, count: int) -> None:
        movies = self.catalog.movies
        picks = list(round_robin([t for t in movies if not t.in_plex and not t.upcoming],
                                 [t for t in movies if t.upcoming],
                                 [t for t in movies if t.in_plex]))[:count]
        for i, t in enumerate(picks):
            self._store(t, {"monitored": i % 2 == 0, "qualityProfileId": 4,
                            "rootFolderPath": self.media_root, "tags": [],
                            "minimumAvailability": "released"}, has_file=t.in_plex)

    # shapes -----------------------------------------------------------------------------------
    @staticmethod
    def metadata(t: Title) -> dict:
        """What lookup answers: TMDB's facts, no library fields, no `id`."""
        poster = f"https://image.tmdb.org/t/p/original{t.poster_path}"
        released = f"{t.release_date}T00:00:00Z"
        return {
            "title": t.title, "originalTitle": t.title, "sortTitle": t.title.lower(),
            "originalLanguage": {"id": 1, "name": "English"}, "alternateTitles": [],
            "secondaryYearSourceId": 0, "sizeOnDisk": 0,
            "status": "announced" if t.upcoming else "released", "overview": t.overview,
            "inCinemas": released, "releaseDate": released,
            "images": [{"coverType": "poster", "url": poster, "remoteUrl": poster}],
            "remotePoster": poster, "website": "", "year": t.year, "youTubeTrailerId": "",
            "studio": "", "qualityProfileId": 0, "hasFile": False, "movieFileId": 0,
            "monitored": True, "minimumAvailability": "released", "isAvailable": not t.upcoming,
            "folderName": "", "runtime": t.runtime_minutes,
            "cleanTitle": t.title.lower().replace(" ", ""), "imdbId": t.imdb_id,
            "tmdbId": t.tmdb_id,
            "titleSlug": str(t.tmdb_id), "folder": f"{t.title} ({t.year})",
            "certification": "", "genres": list(t.genres.values()), "keywords": [], "tags": [],
            "added": NEVER, "popularity": t.popularity,
            "ratings": {"tmdb": {"votes": t.vote_count, "value": t.vote_average,
                                 "type": "user"}},
        }

    def _store(self, t: Title, body: dict, has_file: bool = False) -> dict:
        root = (body.get("rootFolderPath") or self.media_root).rstrip("/")
        movie = self.metadata(t)
        size = 4_000_000_000 if has_file else 0
        movie.update(
            id=next(self._next_id), monitored=bool(body.get("monitored", True)),
            qualityProfileId=body["qualityProfileId"], tags=list(body.get("tags") or []),
            minimumAvailability=body.get("minimumAvailability") or "released",
            path=body.get("path") or f"{root}/{t.title} ({t.year})", rootFolderPath=root,
            folderName=f"{root}/{t.title} ({t.year})", hasFile=has_file, sizeOnDisk=size,
            added=now_iso(), statistics={"movieFileCount": int(has_file), "sizeOnDisk": size,
                                         "releaseGroups": []},
        )
        with self.lock:
            self.movies[movie["id"]] = movie
        return movie

    def movie_by_tmdb(self, tmdb_id: int) -> dict | None:
        return next((m for m in self.movies.values() if m["tmdbId"] == int(tmdb_id)), None)

    # reads ------------------------------------------------------------------------------------
    @route("GET", r"/api/v3/movie")
    def list_movies(self, req: Request):
        if "tmdbId" in req.query:
            found = self.movie_by_tmdb(int(req.query["tmdbId"]))
            return [found] if found else []
        return list(self.movies.values())

    @route("GET", r"/api/v3/movie/(?P<mid>\d+)")
    def get_movie(self, req: Request, mid: str):
        found = self.movies.get(int(mid))
        return found if found else Response(404, self.error_body(404))

    @route("GET", r"/api/v3/movie/lookup/tmdb")
    def lookup_tmdb(self, req: Request):
        tmdb_id = int(req.query.get("tmdbId") or 0)
        t = self.catalog.get("movie", tmdb_id)
        if t is None:  # Radarr lets MovieNotFoundException through as a 500
            return error_model(500, f"Movie with tmdbId {tmdb_id} was not found, it may have "
                               "been removed from TMDb.")
        return self.metadata(t)

    # writes -----------------------------------------------------------------------------------
    @route("POST", r"/api/v3/movie")
    def add_movie(self, req: Request):
        body = req.json() or {}
        tmdb_id = int(body.get("tmdbId") or 0)
        failures = self.profile_failures(body) + self.root_failures(body)
        if tmdb_id <= 0:
            failures.append(failure("TmdbId", "'Tmdb Id' must not be empty.",
                                    "NotEmptyValidator", tmdb_id))
        elif self.movie_by_tmdb(tmdb_id):
            failures.append(failure("TmdbId", "This movie has already been added",
                                    "MovieExistsValidator", tmdb_id))
        if failures:
            return invalid(*failures)
        t = self.catalog.get("movie", tmdb_id)
        if t is None:
            return invalid(failure("TmdbId", "A movie with this ID was not found. Path: "
                                   f"{body.get('path') or ''}", None, tmdb_id))
        return Response(201, self._added(t, body))

    def _added(self, t: Title, body: dict) -> dict:
        options = body.get("addOptions") or {}
        if options.get("monitor") == "none":
            body = {**body, "monitored": False}
        movie = self._store(t, body)
        self.queue_command("RefreshMovie", {"movieIds": [movie["id"]], "isNewMovie": True},
                           "unspecified")
        if options.get("searchForMovie"):
            self.queue_command("MoviesSearch", {"movieIds": [movie["id"]]}, "unspecified")
        return movie

    @route("PUT", r"/api/v3/movie/(?P<mid>\d+)")
    def update_movie(self, req: Request, mid: str):
        body = req.json() or {}
        movie_id = int(body.get("id") or mid)  # Radarr trusts the body's id when it has one
        failures = self.profile_failures(body)
        if not body.get("path"):
            failures.append(failure("Path", "'Path' must not be empty.", "NotEmptyValidator"))
        if failures:
            return invalid(*failures)
        movie = self.movies.get(movie_id)
        if movie is None:
            return error_model(404, f"Movie with ID {movie_id} does not exist")
        with self.lock:
            for key in ("monitored", "qualityProfileId", "minimumAvailability", "path"):
                if key in body:
                    movie[key] = body[key]
            movie["tags"] = list(body.get("tags") or [])
        return Response(202, movie)

    @route("PUT", r"/api/v3/movie/editor")
    def edit_movies(self, req: Request):
        body = req.json() or {}
        edited = [self.movies[i] for i in body.get("movieIds") or [] if i in self.movies]
        with self.lock:
            for movie in edited:
                for key in ("monitored", "qualityProfileId", "minimumAvailability"):
                    if body.get(key) is not None:
                        movie[key] = body[key]
                if body.get("tags") is not None:
                    movie["tags"] = apply_tags(movie["tags"], body["tags"],
                                               body.get("applyTags", "add"))
        return Response(202, edited)

    @route("DELETE", r"/api/v3/movie/(?P<mid>\d+)")
    def delete_movie(self, req: Request, mid: str):
        with self.lock:
            movie = self.movies.pop(int(mid), None)
            if movie and req.query.get("addImportExclusion") == "true":
                self.exclusions.append(movie["tmdbId"])
        return Response(200, None) if movie else error_model(404, f"Movie with ID {mid} "
                                                                  "does not exist")
