"""A Google Programmable Search (Custom Search JSON API) double that answers with IMDb pages.

Results name catalog titles the way IMDb page titles read ("The Crimson Verdict (1974) - IMDb",
"Silent River (TV Series 2011–2016) - IMDb"), ranked by how many query words they share. Like
the real API, an answer with no results has no `items` key at all, and a list page
(/list/ls…) is mixed in, so the product must keep only /title/tt… links.
"""

from __future__ import annotations

import random
import re
import zlib

from tests.fakes.base import FakeServer, Request, Response, route
from tests.fakes.catalog import Catalog, Title

MAX_RESULTS = 100  # start + num may not pass 101
STOPWORDS = {"the", "a", "an", "of", "and", "to", "like", "similar", "movies", "movie", "film",
             "films", "tv", "show", "shows", "series", "best", "if", "you", "liked", "imdb",
             "site", "www", "com", "with", "for", "in", "on"}
SHOW_WORDS = {"tv", "series", "show", "shows"}
MOVIE_WORDS = {"movie", "movies", "film", "films"}


def google_error(status: int, message: str, reason: str, state: str) -> Response:
    return Response(status, {"error": {
        "code": status, "message": message, "status": state,
        "errors": [{"message": message, "domain": "global", "reason": reason}]}})


def invalid_argument() -> Response:
    return google_error(400, "Request contains an invalid argument.", "badRequest",
                        "INVALID_ARGUMENT")


def words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower())


def page_title(t: Title) -> str:
    if t.kind == "movie":
        return f"{t.title} ({t.year}) - IMDb"
    end = t.year + max(0, t.seasons - 1)
    return f"{t.title} (TV Series {t.year}–{end}) - IMDb"


def item(title: str, link: str, snippet: str) -> dict:
    return {"kind": "customsearch#result", "title": title, "htmlTitle": title, "link": link,
            "displayLink": "www.imdb.com", "snippet": snippet, "htmlSnippet": snippet,
            "formattedUrl": link, "htmlFormattedUrl": link}


def title_item(t: Title) -> dict:
    return item(page_title(t), f"https://www.imdb.com/title/{t.imdb_id}/", t.overview)


def list_item(query: str) -> dict:
    list_id = zlib.crc32(query.encode()) % 10_000_000
    return item(f"{query.strip().title()} - a list by cinephile - IMDb",
                f"https://www.imdb.com/list/ls{list_id:09d}/",
                "A user list of titles people recommend.")


class GoogleDouble(FakeServer):
    """`GET /customsearch/v1?key&cx&q&num&start`.

    Switch `quota_exceeded = True` for the daily-quota 429.
    """

    name = "google"

    def __init__(self, catalog: Catalog, api_key: str = "google-key", cx: str = "google-cx",
                 **kwargs):
        self.catalog = catalog
        self.api_key = api_key
        self.cx = cx
        self.quota_exceeded = False
        super().__init__(**kwargs)

    def clear(self) -> None:
        super().clear()
        self.quota_exceeded = False

    def error_body(self, status):
        return {"error": {"code": status, "message": f"HTTP {status}", "errors": []}}

    def authorize(self, req: Request) -> Response | None:
        if req.query.get("key") != self.api_key:
            return google_error(400, "API key not valid. Please pass a valid API key.",
                                "badRequest", "INVALID_ARGUMENT")
        if self.quota_exceeded:
            return google_error(429, "Quota exceeded for quota metric 'Queries' and limit "
                                "'Queries per day' of service 'customsearch.googleapis.com' "
                                "for consumer 'project_number:1234567890'.",
                                "rateLimitExceeded", "RESOURCE_EXHAUSTED")
        return None

    @route("GET", r"/customsearch/v1")
    def search(self, req: Request):
        q = req.query
        try:
            num, start = int(q.get("num") or 10), int(q.get("start") or 1)
        except ValueError:
            return invalid_argument()
        if q.get("cx") != self.cx or not q.get("q") or not 1 <= num <= 10 \
                or start < 1 or start + num > MAX_RESULTS + 1:
            return invalid_argument()
        results = self._results(q["q"])
        return self._answer(q, results, start, num)

    def _answer(self, q: dict, results: list[dict], start: int, num: int) -> dict:
        total = str(len(results))
        answer = {
            "kind": "customsearch#search",
            "queries": {"request": [{"title": "Google Custom Search - " + q["q"],
                                     "totalResults": total, "searchTerms": q["q"],
                                     "count": num, "startIndex": start, "cx": q["cx"]}]},
            "context": {"title": "IMDb titles"},
            "searchInformation": {"searchTime": 0.21, "formattedSearchTime": "0.21",
                                  "totalResults": total, "formattedTotalResults": total},
        }
        page = results[start - 1:start - 1 + num]
        if page:  # Google leaves `items` out entirely when nothing matched
            answer["items"] = page
        return answer

    def _results(self, query: str) -> list[dict]:
        titles = self._ranked(query)
        results = [title_item(t) for t in titles[:MAX_RESULTS - 1]]
        if len(results) >= 3:
            results.insert(2, list_item(query))
        return results

    def _ranked(self, query: str) -> list[Title]:
        said = set(words(query))
        pool = self._pool(said)
        wanted = said - STOPWORDS
        scored = [(self._score(t, wanted), t) for t in pool]
        hits = [t for s, t in sorted(scored, key=lambda st: (-st[0], -st[1].popularity,
                                                              st[1].tmdb_id)) if s > 0]
        if len(hits) >= 10:
            return hits
        # Too few related titles: fill with a draw fixed by the query text.
        rng = random.Random(zlib.crc32(query.lower().encode()))
        taken = {(t.kind, t.tmdb_id) for t in hits}
        rest = [t for t in pool if (t.kind, t.tmdb_id) not in taken]
        return hits + rng.sample(rest, min(len(rest), 10 - len(hits)))

    def _pool(self, said: set[str]) -> list[Title]:
        if said & SHOW_WORDS and not said & MOVIE_WORDS:
            return self.catalog.shows
        if said & MOVIE_WORDS and not said & SHOW_WORDS:
            return self.catalog.movies
        return self.catalog.movies + self.catalog.shows

    @staticmethod
    def _score(t: Title, wanted: set[str]) -> int:
        in_title = len(wanted & set(words(t.title)))
        in_genres = len(wanted & set(words(" ".join(t.genres.values()))))
        return 2 * in_title + in_genres
