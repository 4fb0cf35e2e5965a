"""TMDB through tmdbv3api, without its global state.

tmdbv3api keeps the API key in os.environ, hard-codes its base URL in `TMDb.__init__` and shares
one requests session per class. The private subclasses below (`_bound`) fix all three in one
place: the base URL is read from settings.TMDB_BASE_URL, the key lives on the instance (never in
the environment, so child processes and other code do not see it), and the session is the
pooled one from vault.clients.http, whose response hook raises typed errors. The library's own
classes stay untouched for anyone else.
"""

from __future__ import annotations

import threading
from functools import cache

from django.conf import settings
from tmdbv3api import TV, Configuration, Discover, Find, Genre, Movie, Search
from tmdbv3api.as_obj import AsObj
from tmdbv3api.exceptions import TMDbException

from vault.clients import http
from vault.clients.errors import BadResponseError, UnavailableError, translate

KINDS = {"movie": "movie", "show": "tv", "tv": "tv"}
SOURCES = {"imdb": "imdb_id", "imdb_id": "imdb_id", "tvdb": "tvdb_id", "tvdb_id": "tvdb_id"}


class _BaseUrl:
    """A data descriptor, so the assignment in TMDb.__init__ cannot shadow it."""

    def __get__(self, obj, owner=None):
        return settings.TMDB_BASE_URL.rstrip("/")

    def __set__(self, obj, value):
        pass


class _Bound:
    _session = None
    _base = _BaseUrl()
    _key = ""
    api_key = property(lambda self: self._key)
    language = "en-US"
    wait_on_rate_limit = False  # a 429 is the caller's to handle (UnavailableError)
    debug = False
    cache = False


@cache
def _bound(cls):
    return type(f"Bound{cls.__name__}", (_Bound, cls), {})


_hook_lock = threading.Lock()


def _raise_for_status(response, *args, **kwargs):
    http.check("tmdb", response, detail=_detail(response))


def _detail(response) -> str:
    if response.status_code == 404:
        return "that title (it may have been removed from TMDB)"
    return ""


def _session():
    session = http.session("tmdb")
    with _hook_lock:
        if _raise_for_status not in session.hooks["response"]:
            session.hooks["response"].append(_raise_for_status)
    return session


def _plain(value):
    """tmdbv3api's AsObj (or a list of them) as plain dicts and lists."""
    if isinstance(value, AsObj):
        return _plain(value._json)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _kind(kind: str) -> str:
    try:
        return KINDS[kind]
    except KeyError:
        raise ValueError(f"kind must be 'movie' or 'show', not {kind!r}") from None


class TmdbClient:
    """Plain dicts out; typed errors; `.requests` counts calls so a job can keep a budget."""

    service = "tmdb"

    def __init__(self, api_key: str):
        self._api_key = api_key
        self.requests = 0

    def __repr__(self) -> str:
        return f"TmdbClient(requests={self.requests})"

    def _obj(self, cls):
        bound = _bound(cls)
        bound._session = _session()  # set first: TMDb.__init__ would make its own otherwise
        obj = bound(obj_cached=False)
        obj._key = self._api_key
        return obj

    def _call(self, cls, method: str, *args, expect=dict, **kwargs):
        self.requests += 1
        with translate(self.service, http.timeout()):
            try:
                result = _plain(getattr(self._obj(cls), method)(*args, **kwargs))
            except TMDbException as exc:
                raise _from_tmdb(exc) from exc
        if not isinstance(result, expect):
            raise BadResponseError(self.service, "TMDB sent an answer of an unexpected shape.")
        return result

    def search(self, kind: str, query: str, year: int | None = None) -> list[dict]:
        if _kind(kind) == "movie":
            page = self._call(Search, "movies", query, year=year)
        else:
            page = self._call(Search, "tv_shows", query, release_year=year)
        return list(page.get("results") or [])

    def details(self, kind: str, tmdb_id: int) -> dict:
        cls = Movie if _kind(kind) == "movie" else TV
        return self._call(cls, "details", int(tmdb_id), append_to_response="external_ids")

    def recommendations(self, kind: str, tmdb_id: int, page: int = 1) -> dict:
        cls = Movie if _kind(kind) == "movie" else TV
        return self._call(cls, "recommendations", int(tmdb_id), page=page)

    def similar(self, kind: str, tmdb_id: int, page: int = 1) -> dict:
        cls = Movie if _kind(kind) == "movie" else TV
        return self._call(cls, "similar", int(tmdb_id), page=page)

    def discover(self, kind: str, **params) -> dict:
        method = "discover_movies" if _kind(kind) == "movie" else "discover_tv_shows"
        return self._call(Discover, method, params)

    def find(self, external_id: str, source: str) -> dict:
        try:
            source = SOURCES[source]
        except KeyError:
            raise ValueError(f"source must be imdb or tvdb, not {source!r}") from None
        return self._call(Find, "find", external_id, source)

    def genres(self, kind: str) -> list[dict]:
        method = "movie_list" if _kind(kind) == "movie" else "tv_list"
        answer = self._call(Genre, method)
        return list(answer.get("genres") or [])

    def image_base(self) -> str:
        """Where TMDB serves images (`/configuration` names it), ending in a slash."""
        images = self._call(Configuration, "api_configuration").get("images") or {}
        base = images.get("secure_base_url") or images.get("base_url") or ""
        if not isinstance(base, str) or not base.startswith(("http://", "https://")):
            raise BadResponseError(self.service, "TMDB named no image address.")
        return base.rstrip("/") + "/"

    def image(self, url: str, *, limit: int, wait: float) -> bytes:
        """The bytes of one image under `image_base()`, at most `limit` of them, waiting at
        most `wait` seconds (a poster is worth less than a stalled page)."""
        self.requests += 1
        with translate(self.service, wait):
            with _session().get(url, timeout=wait, stream=True) as response:
                data = response.raw.read(limit + 1, decode_content=True)
        if len(data) > limit:
            raise BadResponseError(self.service, "TMDB sent an image larger than expected.")
        return data


def _from_tmdb(exc: TMDbException):
    text = str(exc)
    if "Rate limit" in text:
        return UnavailableError("tmdb", "TMDB is rate limiting requests (429). "
                                        "Try again in a few seconds.", status=429)
    return BadResponseError("tmdb", f"TMDB could not answer: {text[:200]}")
