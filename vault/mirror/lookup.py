"""Look-ups in the Plex mirror: TMDB, IMDb or TVDB ids to ratingKeys. Database only (indexed
queries on vault.PlexItem): zero Plex requests."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from django.db.models import Q

from vault.mirror.reader import selected_libraries
from vault.models import PlexItem, PlexLibrary


def _library(library) -> PlexLibrary:
    return library if isinstance(library, PlexLibrary) else PlexLibrary.objects.get(
        key=str(library))


def _chunks(values: list, size: int = 500) -> Iterator[list]:
    for i in range(0, len(values), size):
        yield values[i:i + size]


def rating_keys_for(library, tmdb_ids: Iterable[int],
                    imdb_ids: dict[int, str] | None = None) -> dict[int, int]:
    """{tmdb id: ratingKey} for the ids present in the library (the oldest item wins when a
    title is there twice). Database only: zero Plex requests.

    Items matched by a legacy agent (`com.plexapp.agents.imdb://tt…`) carry no TMDB id; pass
    `imdb_ids` ({tmdb id: imdb id}, e.g. from TMDB external ids) to find those too."""
    lib = _library(library)
    ids = sorted({int(i) for i in tmdb_ids})
    found: dict[int, int] = {}
    for chunk in _chunks(ids):
        rows = PlexItem.objects.filter(library=lib, tmdb_id__in=chunk)\
            .order_by("tmdb_id", "rating_key").values_list("tmdb_id", "rating_key")
        for tmdb_id, rating_key in rows:
            found.setdefault(tmdb_id, rating_key)
    wanted = {imdb: int(tmdb) for tmdb, imdb in (imdb_ids or {}).items()
              if imdb and int(tmdb) in ids and int(tmdb) not in found}
    for imdb, rating_key in rating_keys_for_imdb(lib, wanted).items():
        found.setdefault(wanted[imdb], rating_key)
    return found


def rating_keys_for_imdb(library, imdb_ids: Iterable[str]) -> dict[str, int]:
    """{imdb id: ratingKey} among the library's items that have no TMDB id (legacy agents);
    items with a TMDB id are matched by it instead. Database only."""
    lib = _library(library)
    ids = sorted({str(i) for i in imdb_ids if i})
    found: dict[str, int] = {}
    for chunk in _chunks(ids):
        rows = PlexItem.objects.filter(library=lib, tmdb_id__isnull=True, imdb_id__in=chunk)\
            .order_by("imdb_id", "rating_key").values_list("imdb_id", "rating_key")
        for imdb_id, rating_key in rows:
            found.setdefault(imdb_id, rating_key)
    return found


def match_keys(library, wanted: Iterable[tuple]) -> dict[int, int]:
    """{tmdb id: ratingKey} for `wanted` (tmdb id, imdb id or None, tvdb id or None) triples:
    matched by TMDB id, else IMDb id, else TVDB id (legacy agents give only one of the last
    two); the oldest ratingKey wins when a title is there twice. Database only (indexed
    lookups on the mirror): zero Plex requests."""
    lib = _library(library)
    triples = [(int(t), str(i) if i else "", int(v) if v else None) for t, i, v in wanted]
    found: dict[int, int] = dict(rating_keys_for(lib, [t for t, _, _ in triples]))
    by_imdb = {i: t for t, i, _ in triples if i and t not in found}
    for imdb, keys in _oldest(lib, "imdb_id", list(by_imdb)).items():
        found.setdefault(by_imdb[imdb], keys)
    by_tvdb = {v: t for t, _, v in triples if v and t not in found}
    for tvdb, keys in _oldest(lib, "tvdb_id", list(by_tvdb)).items():
        found.setdefault(by_tvdb[tvdb], keys)
    return found


def _oldest(lib: PlexLibrary, field: str, values: list) -> dict:
    """{value of `field`: oldest ratingKey} among the library's items."""
    found: dict = {}
    for chunk in _chunks(sorted(set(values))):
        rows = PlexItem.objects.filter(library=lib, **{f"{field}__in": chunk})\
            .order_by(field, "rating_key").values_list(field, "rating_key")
        for value, rating_key in rows:
            found.setdefault(value, rating_key)
    return found


def has_imdb_only_items(library) -> bool:
    """Whether any item is known only by its IMDb id (worth looking up IMDb ids for)."""
    return PlexItem.objects.filter(library=_library(library), tmdb_id__isnull=True)\
        .exclude(imdb_id="").exists()


def items_for(kind: str, tmdb_ids: Iterable[int]) -> dict[int, list[PlexItem]]:
    """Every indexed item of the selected libraries of `kind` per TMDB id (duplicates too)."""
    ids = sorted({int(i) for i in tmdb_ids})
    found: dict[int, list[PlexItem]] = {}
    for chunk in _chunks(ids):
        rows = PlexItem.objects.filter(library__in=selected_libraries(kind), tmdb_id__in=chunk)\
            .select_related("library").order_by("tmdb_id", "rating_key")
        for item in rows:
            found.setdefault(item.tmdb_id, []).append(item)
    return found


def same_titles(kind: str, rating_keys: Iterable[int] | None = None) -> list[PlexItem]:
    """Items of the selected libraries of `kind` ("movie"/"show") that may be copies of one
    another: all of them, or (given `rating_keys`) those items and every item sharing a TMDB,
    IMDb or TVDB id with one of them (legacy-agent items carry only IMDb or TVDB ids).
    Database only, with each item's media versions as the last index read them: zero Plex
    requests."""
    rows = PlexItem.objects.filter(library__in=selected_libraries(kind), kind=kind)\
        .select_related("library").order_by("rating_key")
    if rating_keys is None:
        return list(rows)
    keys = sorted({int(k) for k in rating_keys})
    seeds = list(rows.filter(rating_key__in=keys))
    tmdb = {i.tmdb_id for i in seeds if i.tmdb_id}
    imdb = {i.imdb_id for i in seeds if i.imdb_id}
    tvdb = {i.tvdb_id for i in seeds if i.tvdb_id}
    match = Q(rating_key__in=keys) | Q(tmdb_id__in=tmdb) | Q(imdb_id__in=imdb) | \
        Q(tvdb_id__in=tvdb)
    return list(rows.filter(match))
