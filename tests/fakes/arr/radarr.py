"""A stateful Radarr v3 API double (the *arr plumbing it shares with Sonarr: arr/base.py).

Shapes and refusals follow Radarr's source: API key by `X-Api-Key`, `?apikey=` or Bearer (401
with an empty body otherwise); validation failures are a 400 JSON list of FluentValidation
failures; `/movie/lookup/tmdb` answers metadata without an `id`; a command name Radarr does
not know is a 500 ("Sequence contains no matching element"). Checked against Radarr/Radarr
1b9662d5: a second add is a 400 MovieExistsValidator "This movie has already been added"
(src/NzbDrone.Core/Validation/Paths/MovieExistsValidator.cs); POST /tag wants a label matching
^[a-z0-9-]+$ (case-insensitive, Tags/TagController.cs). Bodies and answers are checked against
the OpenAPI extract (arr/checked.py).

Wanted/missing follows src/Radarr.Api.V3/Wanted/MissingController.cs: movies without a file
(MovieFileId 0, year > 0) whose `monitored` equals the query's (default true), paged by `page`
and `pageSize` (defaults 1 and 10), sorted by an allowed `sortKey` (else sortTitle) in
`sortDirection` (absent means descending, as PagingResource defaults it; "default" means the
controller's ascending). A search command (MoviesSearch, MissingMoviesSearch) stamps the movies
it covers with `lastSearchTime`, as ReleaseSearchService does.
"""

from __future__ import annotations

from tests.fakes.arr.base import (
    NEVER,
    ArrDouble,
    apply_tags,
    error_model,
    failure,
    invalid,
    now_iso,
    round_robin,
)
from tests.fakes.arr.wanted import RadarrWanted
from tests.fakes.base import Request, Response, route
from tests.fakes.catalog import Catalog, Title


class RadarrDouble(RadarrWanted, ArrDouble):
    """Radarr v5's /api/v3. State: `movies` {id: resource}, `commands`, `tags`, `exclusions`.

    Seeded with `seed` movies from the catalog, cycling missing / upcoming / already-in-Plex
    titles and alternating monitored, unmonitored, so "exists" and "re-monitor" paths are
    reachable from the first request; `reset()` restores that seed.
    """

    name = "radarr"
    schema_service = "radarr"
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
        movie_id = next(self._next_id)
        movie.update(
            id=movie_id, monitored=bool(body.get("monitored", True)),
            qualityProfileId=body["qualityProfileId"], tags=list(body.get("tags") or []),
            minimumAvailability=body.get("minimumAvailability") or "released",
            path=body.get("path") or f"{root}/{t.title} ({t.year})", rootFolderPath=root,
            folderName=f"{root}/{t.title} ({t.year})", hasFile=has_file, sizeOnDisk=size,
            movieFileId=movie_id if has_file else 0, lastSearchTime=None,
            added=now_iso(), statistics={"movieFileCount": int(has_file), "sizeOnDisk": size,
                                         "releaseGroups": []},
        )
        with self.lock:
            self.movies[movie["id"]] = movie
        return movie

    def seed_movie(self, t: Title, monitored: bool = True, has_file: bool | None = None) -> dict:
        """Put a movie in the library directly (no request logged); `has_file` defaults to
        whether the catalog has it in Plex."""
        return self._store(t, {"monitored": monitored, "qualityProfileId": 4},
                           has_file=t.in_plex if has_file is None else has_file)

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
