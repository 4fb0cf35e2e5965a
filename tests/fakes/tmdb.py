"""A TMDB v3 double over the shared Catalog, shaped for tmdbv3api 1.10.0.

tmdbv3api builds `{base}{path}?api_key=…&{params}&language=…` and raises only on JSON with
`"success": false` (or `"errors"`), so every refusal here carries TMDB's own error body.
The product points tmdbv3api at `f"{double.url}/3"`. The answers' shapes, errors, paging and
filters live in tests.fakes.moviedb.
"""

from __future__ import annotations

import math
import re
import time

from tests.fakes.base import FakeServer, Request, Response, route
from tests.fakes.catalog import MOVIE_GENRES, TV_GENRES, Catalog, Title
from tests.fakes.moviedb import (
    ERRORS,
    STATUS_CODE_FOR_HTTP,
    bound_tests,
    details_shape,
    external_ids_shape,
    genre_test,
    page_number,
    paged,
    poster_jpeg,
    result,
    sort_titles,
    tmdb_error,
    words,
)


class TmdbDouble(FakeServer):
    """TMDB v3 under /3; posters under /t/p/{size}/{file} (what /configuration points at).

    `rate_limit_headers=True` sends X-RateLimit-* with a budget of `rate_limit` requests per
    `rate_window` seconds and answers 429 (status_code 25) past it.
    """

    name = "tmdb"

    def __init__(self, catalog: Catalog, api_key: str = "tmdb-key",
                 rate_limit_headers: bool = False, rate_limit: int = 40,
                 rate_window: float = 10.0, **kwargs):
        self.catalog = catalog
        self.api_key = api_key
        self.rate_limit_headers = rate_limit_headers
        self.rate_limit = rate_limit
        self.rate_window = rate_window
        self._window_start = 0.0
        self._window_used = 0
        super().__init__(**kwargs)

    @property
    def base(self) -> str:
        return f"{self.url}/3"

    def clear(self) -> None:
        """Also start a fresh rate-limit window."""
        super().clear()
        with self.lock:
            self._window_start, self._window_used = 0.0, 0

    # auth, rate limit, errors -------------------------------------------------------------------
    def error_body(self, status):
        code = STATUS_CODE_FOR_HTTP.get(status, 11)
        return {"success": False, "status_code": code, "status_message": ERRORS[code][1]}

    def dispatch(self, req: Request) -> Response:
        resp = super().dispatch(req)
        if self.rate_limit_headers and req.path.startswith("/3/"):
            resp.headers.update(self._rate_headers())
        return resp

    def authorize(self, req: Request) -> Response | None:
        if not req.path.startswith("/3/"):
            return None
        if req.query.get("api_key") != self.api_key:
            return tmdb_error(7)
        if self.rate_limit_headers and not self._spend():
            refused = tmdb_error(25)
            refused.headers["Retry-After"] = str(max(1, math.ceil(self._reset() - time.time())))
            return refused
        return None

    def _spend(self) -> bool:
        with self.lock:
            now = time.time()
            if now >= self._reset():
                self._window_start, self._window_used = now, 0
            self._window_used += 1
            return self._window_used <= self.rate_limit

    def _reset(self) -> float:
        return self._window_start + self.rate_window

    def _rate_headers(self) -> dict[str, str]:
        with self.lock:
            remaining = max(0, self.rate_limit - self._window_used)
            return {"X-RateLimit-Limit": str(self.rate_limit),
                    "X-RateLimit-Remaining": str(remaining),
                    "X-RateLimit-Reset": str(math.ceil(self._reset()))}

    # helpers --------------------------------------------------------------------------------------
    def _title(self, kind: str, tmdb_id: str) -> Title | None:
        return self.catalog.get("movie" if kind == "movie" else "show", int(tmdb_id))

    def _listing(self, req: Request, titles: list[Title], media_type: bool = False):
        page = page_number(req.query)
        return tmdb_error(22) if page is None else paged(titles, page, media_type)

    # search -----------------------------------------------------------------------------------
    @route("GET", r"/3/search/(?P<kind>movie|tv)")
    def search(self, req: Request, kind: str):
        wanted = words(req.query.get("query", ""))
        year = (req.query.get("year") or req.query.get("primary_release_year")
                or req.query.get("first_air_date_year"))
        titles = self.catalog.titles("movie" if kind == "movie" else "show")
        hits = [t for t in titles if wanted and self._matches(t, wanted)
                and (not year or t.release_date[:4] == year)]
        exact = " ".join(wanted)
        hits.sort(key=lambda t: (" ".join(words(t.title)) not in (exact, f"the {exact}"),
                                 -t.popularity, t.tmdb_id))
        return self._listing(req, hits)

    @staticmethod
    def _matches(t: Title, wanted: list[str]) -> bool:
        have = words(t.title)
        return all(any(h.startswith(w) for h in have) for w in wanted)

    # details, graph, ids ----------------------------------------------------------------------
    @route("GET", r"/3/(?P<kind>movie|tv)/(?P<tmdb_id>\d+)")
    def details(self, req: Request, kind: str, tmdb_id: str):
        t = self._title(kind, tmdb_id)
        return details_shape(t, req.query.get("append_to_response", "")) if t else tmdb_error(34)

    @route("GET", r"/3/(?P<kind>movie|tv)/(?P<tmdb_id>\d+)/(?P<edge>recommendations|similar)")
    def related(self, req: Request, kind: str, tmdb_id: str, edge: str):
        t = self._title(kind, tmdb_id)
        if t is None:
            return tmdb_error(34)
        linked = [self.catalog.get(t.kind, i) for i in getattr(t, edge)]
        return self._listing(req, linked, media_type=edge == "recommendations")

    @route("GET", r"/3/(?P<kind>movie|tv)/(?P<tmdb_id>\d+)/external_ids")
    def external_ids(self, req: Request, kind: str, tmdb_id: str):
        t = self._title(kind, tmdb_id)
        return external_ids_shape(t) if t else tmdb_error(34)

    @route("GET", r"/3/find/(?P<external_id>[^/]+)")
    def find(self, req: Request, external_id: str):
        source = req.query.get("external_source")
        if source == "imdb_id":
            t = self.catalog.by_imdb.get(external_id)
        elif source == "tvdb_id":
            t = self.catalog.by_tvdb.get(int(external_id)) if external_id.isdigit() else None
        else:
            return Response(400, {"success": False, "status_code": 5,
                                  "status_message": "Invalid parameters: Your request "
                                                    "parameters are incorrect."})
        found = {"movie_results": [], "person_results": [], "tv_results": [],
                 "tv_episode_results": [], "tv_season_results": []}
        if t is not None:
            found["movie_results" if t.kind == "movie" else "tv_results"].append(result(t, True))
        return found

    # discover ---------------------------------------------------------------------------------
    @route("GET", r"/3/discover/(?P<kind>movie|tv)")
    def discover(self, req: Request, kind: str):
        q = req.query
        if kind == "movie":
            dates, year = ("primary_release_date", "release_date"), q.get("primary_release_year")
        else:
            dates, year = ("first_air_date", "air_date"), q.get("first_air_date_year")
        tests = bound_tests(q, dates)
        if q.get("with_genres"):
            tests.append(genre_test(q["with_genres"]))
        if q.get("without_genres"):
            unwanted = {int(g) for g in re.split(r"[,|]", q["without_genres"]) if g}
            tests.append(lambda t: not unwanted & set(t.genre_ids))
        if q.get("with_original_language"):
            tests.append(lambda t: t.original_language == q["with_original_language"])
        if year or q.get("year"):
            tests.append(lambda t: t.release_date[:4] == (year or q.get("year")))
        titles = self.catalog.titles("movie" if kind == "movie" else "show")
        hits = [t for t in titles if all(test(t) for test in tests)]
        return self._listing(req, sort_titles(hits, q.get("sort_by", "")))

    # reference data ---------------------------------------------------------------------------
    @route("GET", r"/3/genre/(?P<kind>movie|tv)/list")
    def genres(self, req: Request, kind: str):
        names = MOVIE_GENRES if kind == "movie" else TV_GENRES
        return {"genres": [{"id": g, "name": n} for g, n in names.items()]}

    @route("GET", r"/3/configuration")
    def configuration(self, req: Request):
        images = f"{self.url}/t/p/"  # the double serves posters itself
        return {"images": {
            "base_url": images, "secure_base_url": images,
            "backdrop_sizes": ["w300", "w780", "w1280", "original"],
            "logo_sizes": ["w45", "w92", "w154", "w185", "w300", "w500", "original"],
            "poster_sizes": ["w92", "w154", "w185", "w342", "w500", "w780", "original"],
            "profile_sizes": ["w45", "w185", "h632", "original"],
            "still_sizes": ["w92", "w185", "w300", "original"],
        }, "change_keys": ["genres", "images", "overview", "release_dates", "title"]}

    @route("GET", r"/t/p/(?P<size>\w+)/(?P<file>[\w.]+\.jpg)")
    def poster(self, req: Request, size: str, file: str):
        return Response(200, poster_jpeg(file), content_type="image/jpeg")
