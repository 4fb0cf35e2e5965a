"""A TMDB v3 double over the shared Catalog, shaped for tmdbv3api 1.10.0.

tmdbv3api builds `{base}{path}?api_key=…&{params}&language=…` and raises only on JSON with
`"success": false` (or `"errors"`), so every refusal here carries TMDB's own error body.
The product points tmdbv3api at `f"{double.url}/3"`.
"""

from __future__ import annotations

import io
import math
import re
import time
from datetime import date, timedelta

from tests.fakes.base import FakeServer, Request, Response, route
from tests.fakes.catalog import MOVIE_GENRES, TV_GENRES, Catalog, Title

PAGE_SIZE = 20
MAX_PAGE = 500  # TMDB refuses pages past 500 and never reports more
COUNTRY = {"en": "US", "fr": "FR", "ko": "KR", "ja": "JP", "es": "ES"}

ERRORS = {
    7: (401, "Invalid API key: You must be granted a valid key."),
    11: (500, "Internal error: Something went wrong, contact TMDB."),
    22: (400, "Invalid page: Pages start at 1 and max at 500. They are expected to be an "
              "integer."),
    25: (429, "Your request count (#) is over the allowed limit of (40)."),
    34: (404, "The resource you requested could not be found."),
}
STATUS_CODE_FOR_HTTP = {401: 7, 404: 34, 429: 25, 500: 11}


def tmdb_error(code: int) -> Response:
    status, message = ERRORS[code]
    return Response(status, {"success": False, "status_code": code, "status_message": message})


# result shapes -----------------------------------------------------------------------------------
def movie_result(t: Title) -> dict:
    return {
        "adult": False, "backdrop_path": f"/backdrop{t.tmdb_id}.jpg", "genre_ids": t.genre_ids,
        "id": t.tmdb_id, "original_language": t.original_language, "original_title": t.title,
        "overview": t.overview, "popularity": t.popularity, "poster_path": t.poster_path,
        "release_date": t.release_date, "title": t.title, "video": False,
        "vote_average": t.vote_average, "vote_count": t.vote_count,
    }


def tv_result(t: Title) -> dict:
    return {
        "adult": False, "backdrop_path": f"/backdrop{t.tmdb_id}.jpg", "genre_ids": t.genre_ids,
        "id": t.tmdb_id, "origin_country": [COUNTRY[t.original_language]],
        "original_language": t.original_language, "original_name": t.title,
        "overview": t.overview, "popularity": t.popularity, "poster_path": t.poster_path,
        "first_air_date": t.release_date, "name": t.title, "vote_average": t.vote_average,
        "vote_count": t.vote_count,
    }


def result(t: Title, media_type: bool = False) -> dict:
    shape = movie_result(t) if t.kind == "movie" else tv_result(t)
    if media_type:  # recommendations and find answers say what each result is
        shape["media_type"] = "movie" if t.kind == "movie" else "tv"
    return shape


def external_ids_shape(t: Title) -> dict:
    ids = {"id": t.tmdb_id, "imdb_id": t.imdb_id, "wikidata_id": None, "facebook_id": None,
           "instagram_id": None, "twitter_id": None}
    if t.kind == "show":
        ids.update(tvdb_id=t.tvdb_id, tvrage_id=None, freebase_mid=None, freebase_id=None)
    return ids


def movie_details(t: Title) -> dict:
    shape = movie_result(t)
    del shape["genre_ids"]  # details carry named genres instead
    shape.update(
        genres=[{"id": g, "name": n} for g, n in t.genres.items()], runtime=t.runtime_minutes,
        status="Post Production" if t.upcoming else "Released", imdb_id=t.imdb_id,
        tagline="", budget=0, revenue=0, homepage="", belongs_to_collection=None,
        spoken_languages=[{"iso_639_1": t.original_language}],
        production_countries=[{"iso_3166_1": COUNTRY[t.original_language]}],
    )
    return shape


def tv_details(t: Title) -> dict:
    shape = tv_result(t)
    del shape["genre_ids"]
    first = date.fromisoformat(t.release_date)
    last = min(first + timedelta(days=365 * (t.seasons - 1)), max(first, date.today()))
    ended = t.tmdb_id % 2 == 1
    shape.update(
        genres=[{"id": g, "name": n} for g, n in t.genres.items()],
        episode_run_time=[t.runtime_minutes], last_air_date=last.isoformat(),
        status="In Production" if t.upcoming else ("Ended" if ended else "Returning Series"),
        in_production=t.upcoming or not ended, number_of_seasons=t.seasons,
        number_of_episodes=t.seasons * t.episodes_per_season, type="Scripted",
        languages=[t.original_language],
        seasons=[{"id": t.tmdb_id * 100 + n, "season_number": n, "name": f"Season {n}",
                  "episode_count": t.episodes_per_season,
                  "air_date": (first + timedelta(days=365 * (n - 1))).isoformat()}
                 for n in range(1, t.seasons + 1)],
    )
    return shape


APPENDED_EMPTY = {"videos": {"results": []}, "images": {"backdrops": [], "posters": []},
                  "keywords": {"keywords": []}, "release_dates": {"results": []},
                  "credits": {"cast": [], "crew": []}, "translations": {"translations": []}}


def details_shape(t: Title, append: str) -> dict:
    shape = movie_details(t) if t.kind == "movie" else tv_details(t)
    for name in filter(None, append.split(",")):
        if name == "external_ids":
            shape["external_ids"] = {k: v for k, v in external_ids_shape(t).items() if k != "id"}
        elif name in APPENDED_EMPTY:
            shape[name] = APPENDED_EMPTY[name]
    return shape


# paging and filters -------------------------------------------------------------------------------
def page_number(query: dict) -> int | None:
    try:
        page = int(query.get("page") or 1)
    except ValueError:
        return None
    return page if 1 <= page <= MAX_PAGE else None


def paged(titles: list[Title], page: int, media_type: bool = False) -> dict:
    start = (page - 1) * PAGE_SIZE
    return {
        "page": page,
        "results": [result(t, media_type) for t in titles[start:start + PAGE_SIZE]],
        "total_pages": max(1, min(MAX_PAGE, math.ceil(len(titles) / PAGE_SIZE))),
        "total_results": len(titles),
    }


def genre_test(value: str):
    """`with_genres`: comma means every genre, pipe means any of them."""
    if "|" in value:
        wanted = {int(g) for g in value.split("|") if g}
        return lambda t: bool(wanted & set(t.genre_ids))
    wanted = {int(g) for g in value.split(",") if g}
    return lambda t: wanted <= set(t.genre_ids)


BOUND_FIELDS = {"vote_count": "vote_count", "vote_average": "vote_average",
                "with_runtime": "runtime_minutes"}


def bound_tests(query: dict, date_fields: tuple[str, ...]) -> list:
    """`field.gte` / `field.lte` filters; every date field compares the title's one date."""
    tests = []
    for name, raw in query.items():
        field, _, op = name.rpartition(".")
        if op not in ("gte", "lte") or not raw:
            continue
        if field in date_fields:
            tests.append(bound("release_date", op, raw))
        elif field in BOUND_FIELDS:
            tests.append(bound(BOUND_FIELDS[field], op, float(raw)))
    return tests


def bound(attr: str, op: str, value):
    if op == "gte":
        return lambda t: getattr(t, attr) >= value
    return lambda t: getattr(t, attr) <= value


SORT_KEYS = {
    "popularity": lambda t: t.popularity, "vote_average": lambda t: t.vote_average,
    "vote_count": lambda t: t.vote_count, "primary_release_date": lambda t: t.release_date,
    "release_date": lambda t: t.release_date, "first_air_date": lambda t: t.release_date,
    "title": lambda t: t.title, "original_title": lambda t: t.title,
    "name": lambda t: t.title, "original_name": lambda t: t.title,
}


def sort_titles(titles: list[Title], sort_by: str) -> list[Title]:
    # Unknown sort keys fall back to popularity (unverified against TMDB).
    field, _, direction = (sort_by or "popularity.desc").partition(".")
    key = SORT_KEYS.get(field, SORT_KEYS["popularity"])
    ordered = sorted(titles, key=lambda t: t.tmdb_id)  # ties break by id, deterministically
    return sorted(ordered, key=key, reverse=direction != "asc")


def words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower())


def poster_jpeg(path: str) -> bytes:
    """A tiny distinct JPEG per path, so tests can tell which poster was fetched."""
    from PIL import Image  # a product dependency; imported late to keep the double light

    seed = sum(path.encode())
    buf = io.BytesIO()
    Image.new("RGB", (20, 30), (seed % 256, seed * 7 % 256, seed * 13 % 256)).save(buf, "JPEG")
    return buf.getvalue()


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
