"""Runtime or seasons, genres and overview for the shown cards, from the TMDB answers the
runs already cached (one query; never a TMDB request while the deck is open)."""

from __future__ import annotations

import json

from recommendations.models import TmdbCacheEntry


def cache_key(media: str, tmdb_id: int) -> str:
    # The key TmdbCache writes for details(kind, tmdb_id).
    return "details:" + json.dumps([[media, int(tmdb_id)], {}], sort_keys=True, default=str)


def length(payload: dict) -> str:
    seasons = payload.get("number_of_seasons")
    if seasons:
        return f"{seasons} season{'s' if seasons != 1 else ''}"
    minutes = payload.get("runtime") or 0
    if not minutes:
        return ""
    hours, rest = divmod(int(minutes), 60)
    return f"{hours} h {rest:02d} min" if hours else f"{rest} min"


def add_details(media: str, cards: list) -> list:
    keys = {cache_key(media, c.tmdb_id): c for c in cards}
    for key, payload in TmdbCacheEntry.objects.filter(key__in=keys).values_list("key",
                                                                                "payload"):
        if not isinstance(payload, dict):
            continue
        card = keys[key]
        card.length = length(payload)
        card.genres = ", ".join(g.get("name", "") for g in payload.get("genres") or []
                                if isinstance(g, dict))
        card.overview = str(payload.get("overview") or "")
    return cards
