"""Resolve a seed to a TMDB title: from Plex GUIDs when it has them, by title + year otherwise."""

from __future__ import annotations

import re

from recommendations.types import MOVIE, ResolvedSeed, Seed

_GUID = re.compile(r"^(?P<scheme>[a-z.]+)://(?P<value>[^?/]+)")
_SCHEMES = {
    "tmdb": "tmdb_id", "themoviedb": "tmdb_id", "com.plexapp.agents.themoviedb": "tmdb_id",
    "imdb": "imdb_id", "com.plexapp.agents.imdb": "imdb_id",
    "tvdb": "tvdb_id", "thetvdb": "tvdb_id", "com.plexapp.agents.thetvdb": "tvdb_id",
}


class SeedNotFound(Exception):
    """TMDB has no title for this seed."""


def parse_guids(guids) -> dict:
    """`tmdb://603`, `imdb://tt0133093`, `tvdb://81189` and legacy agent GUIDs
    (`com.plexapp.agents.imdb://tt0133093?lang=en`) to {"tmdb_id", "imdb_id", "tvdb_id"}."""
    ids: dict = {}
    for guid in guids:
        found = _GUID.match(str(guid))
        field = found and _SCHEMES.get(found["scheme"])
        if not field or field in ids:
            continue
        value = found["value"]
        if field == "imdb_id" and value.startswith("tt"):
            ids[field] = value
        elif field != "imdb_id" and value.isdigit():
            ids[field] = int(value)
    return ids


def seed_from_guids(title: str, year: int | None, guids, rating_key=None) -> Seed:
    return Seed(title=title, year=year, rating_key=rating_key, **parse_guids(guids))


def tmdb_kind(media_type: str) -> str:
    return "movie" if media_type == MOVIE else "tv"


def _found_id(answer: dict, media_type: str) -> int | None:
    results = answer.get("movie_results" if media_type == MOVIE else "tv_results") or []
    return int(results[0]["id"]) if results else None


def find_tmdb_id(tmdb, seed: Seed, media_type: str) -> tuple[int, str]:
    """(tmdb id, how it was found)."""
    if seed.tmdb_id:
        return int(seed.tmdb_id), "tmdb guid"
    if seed.imdb_id:
        found = _found_id(tmdb.find(seed.imdb_id, "imdb_id"), media_type)
        if found:
            return found, "imdb guid"
    if seed.tvdb_id and media_type != MOVIE:
        found = _found_id(tmdb.find(str(seed.tvdb_id), "tvdb_id"), media_type)
        if found:
            return found, "tvdb guid"
    if seed.title:
        hits = tmdb.search(media_type, seed.title, seed.year)
        if not hits and seed.year:  # Plex and TMDB often disagree by a year
            hits = tmdb.search(media_type, seed.title)
        if hits:
            return int(hits[0]["id"]), "search"
    raise SeedNotFound(f"TMDB has no {media_type} matching {seed.title or 'this seed'!r}")


def resolve(tmdb, seed: Seed, media_type: str) -> ResolvedSeed:
    tmdb_id, how = find_tmdb_id(tmdb, seed, media_type)
    d = tmdb.details(media_type, tmdb_id)
    released = d.get("release_date") or d.get("first_air_date") or None
    genres = d.get("genres") or []
    return ResolvedSeed(
        tmdb_id=tmdb_id, media_type=media_type,
        title=d.get("title") or d.get("name") or seed.title,
        year=int(released[:4]) if released else seed.year, release_date=released,
        genre_ids=[int(g["id"]) for g in genres], genres=[g["name"].lower() for g in genres],
        vote_average=float(d.get("vote_average") or 0.0),
        vote_count=int(d.get("vote_count") or 0), resolved_by=how, rating_key=seed.rating_key,
    )
