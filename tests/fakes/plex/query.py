"""Listing queries as a Plex server reads them: filters, sort, limit and paging.

Filters arrive in Plex's own syntax, which `parse_qs` splits at the first `=`: `addedAt>>=T`
becomes key `addedAt>>`; plexapi url-encodes the operator's own `=` (`title%3D=x` is key
`title=`, an exact match), a raw `title==x` becomes key `title` with value `=x`. Show libraries
prefix their fields (`show.addedAt>>`). Unknown parameters are ignored, as Plex ignores them.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable

from tests.fakes.plex.records import epoch

_FILTER_KEY = re.compile(r"(?:[a-z]+\.)?([A-Za-z]+)(!=|=|!|>>|<<|<|>)?")
_RELATIVE = re.compile(r"-?(\d+)(mon|[smhdwy])")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400, "mon": 30 * 86400,
                 "y": 365 * 86400}


def _release(obj) -> int | None:
    release = getattr(obj, "release", None)
    return epoch(release) if release else None


def _genres(obj) -> list[str]:
    source = getattr(obj, "source", None)
    if source is None or getattr(obj, "kind", "") not in ("movie", "show"):
        return []
    return [str(g) for g in source.genre_ids] + [n.lower() for n in source.genres.values()]


# field -> (Plex field type, getter); getters work on items and on collections alike
FIELDS: dict[str, tuple[str, Callable]] = {
    "title": ("string", lambda o: o.title),
    "year": ("integer", lambda o: getattr(o, "year", None)),
    "addedAt": ("date", lambda o: o.added_at),
    "updatedAt": ("date", lambda o: o.updated_at),
    "originallyAvailableAt": ("date", _release),
    "id": ("integer", lambda o: o.rating_key),
    "duration": ("integer", lambda o: getattr(o, "duration_ms", None)),
    "guid": ("string", lambda o: getattr(o, "guid", None)),
    "genre": ("tag", _genres),
}
SORTS: dict[str, Callable] = {
    "titleSort": lambda o: o.sort_title,
    "title": lambda o: o.title.lower(),
    "addedAt": lambda o: o.added_at,
    "updatedAt": lambda o: o.updated_at,
    "originallyAvailableAt": lambda o: getattr(o, "release", "") or "",
    "year": lambda o: getattr(o, "year", 0) or 0,
    "id": lambda o: o.rating_key,
    "duration": lambda o: getattr(o, "duration_ms", 0) or 0,
    "rating": lambda o: o.source.vote_average if hasattr(o, "source") else 0,
}


def select(objects: Iterable, query: dict[str, str]) -> list:
    """Filter, sort (title by default, as Plex does) and apply `limit`."""
    tests = [t for t in (_parse_filter(k, v) for k, v in query.items()) if t]
    chosen = [o for o in objects if all(t(o) for t in tests)]
    chosen = sort(chosen, query.get("sort") or "titleSort")
    limit = _int(query.get("limit"))
    return chosen[:limit] if limit is not None else chosen


def sort(objects: list, spec: str) -> list:
    """`movie.addedAt:desc,titleSort` — later keys break ties of earlier ones."""
    for part in reversed([p for p in spec.split(",") if p]):
        name, _, direction = part.partition(":")
        key = SORTS.get(name.rsplit(".", 1)[-1])
        if key:
            objects = sorted(objects, key=key, reverse=direction == "desc")
    return objects


def paging(query: dict[str, str], headers: dict[str, str]) -> tuple[int, int | None]:
    """(start, size); query parameters win over headers; no size means everything."""
    def read(name: str) -> int | None:
        return _int(query.get(name, headers.get(name.lower())))

    return read("X-Plex-Container-Start") or 0, read("X-Plex-Container-Size")


def totals(found: list, start: int, size: int | None, omit: bool = False) -> dict:
    """`totalSize`/`offset` of a listing. A real server sends them only for a paged request
    (X-Plex-Container-Size); an unpaged listing has neither (plexapi's MediaContainer casts
    both as optional, and fetchItems falls back to `size`, then to the page's length:
    plexapi/base.py). `omit` drops them from paged answers as well, so a pager that relies
    on totalSize is caught: ours read on until a short page."""
    if size is None or omit:
        return {}
    return {"totalSize": len(found), "offset": start}


def page(objects: list, start: int, size: int | None) -> list:
    return objects[start:] if size is None else objects[start:start + size]


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _parse_filter(key: str, value: str) -> Callable | None:
    match = _FILTER_KEY.fullmatch(key)
    if not match or match[1] not in FIELDS:
        return None
    kind, getter = FIELDS[match[1]]
    op = match[2] or ""
    if op.endswith("="):  # `==`/`!==` sent url-encoded (`title%3D=x`): exact comparison
        op = op[:-1] + "=="
    elif value.startswith("="):  # the same sent raw: `title==x` splits as `title` / `=x`
        op, value = op + "==", value[1:]
    wanted = [v for v in value.split(",") if v != ""]
    compare = _comparison(kind, op, [_value(kind, v) for v in wanted])
    return lambda o: compare(getter(o))


def _value(kind: str, raw: str):
    if kind == "date":
        relative = _RELATIVE.fullmatch(raw)
        if relative and not raw.isdigit():
            return int(time.time()) - int(relative[1]) * _UNIT_SECONDS[relative[2]]
        return int(raw)
    if kind == "integer":
        return float(raw)
    return raw.lower()


_ORDERED = {
    ">>": lambda a, w: a > w, ">": lambda a, w: a >= w,
    "<<": lambda a, w: a < w, "<": lambda a, w: a <= w,
}
_STRING = {
    "<": lambda a, w: a.startswith(w), ">": lambda a, w: a.endswith(w),
    "": lambda a, w: w in a, "!": lambda a, w: w in a,  # plain `=` on strings means contains
}


def _comparison(kind: str, op: str, wanted: list) -> Callable:
    if kind == "string" and op in _STRING:
        match = _STRING[op]
    else:
        match = _ORDERED.get(op, lambda a, w: a == w)
    negate = op.startswith("!")

    def test(actual) -> bool:
        have = actual if isinstance(actual, list) else [] if actual is None else [actual]
        have = [a.lower() if isinstance(a, str) else a for a in have]
        hit = any(match(a, w) for a in have for w in wanted)
        return not hit if negate else hit

    return test
