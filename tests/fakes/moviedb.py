"""TMDB's v3 answers for catalog titles, shaped as tmdbv3api 1.10.0 reads them (the double
that serves them is tests.fakes.tmdb).

Result and details shapes, TMDB's own error bodies (`"success": false` with its status codes),
paging (20 a page, never past page 500), the discover filters and sorts, and posters.
"""

from __future__ import annotations

import io
import math
import re
from datetime import date, timedelta

from tests.fakes.base import Response
from tests.fakes.catalog import Title

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
