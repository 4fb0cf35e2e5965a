"""The one-line "why" every pick carries, e.g.
"Because you watched Heat · TMDB recommends · crime, thriller"."""

from __future__ import annotations

from recommendations.engine.genres import genre_names
from recommendations.types import CONTRAST, UPCOMING, Candidate, ResolvedSeed

SOURCE_LABELS = [("recommendations", "TMDB recommends"), ("similar", "TMDB similar"),
                 ("google", "found on the web"), ("discover", "TMDB discover"),
                 ("upcoming", "TMDB upcoming")]
MAX_GENRES = 3


def source_label(sources: list[str]) -> str:
    for key, label in SOURCE_LABELS:
        if key in sources:
            return label
    return "TMDB"


def why(c: Candidate, seed: ResolvedSeed, mode: str, media_type: str,
        reason: str | None = None) -> str:
    if mode == CONTRAST:
        opening = f"A change from {seed.title}"
        ids = c.genre_ids
    else:
        opening = f"Because you watched {seed.title}"
        shared = [g for g in c.genre_ids if g in seed.genre_ids]
        ids = shared or c.genre_ids
    parts = [opening, f"OpenAI: {reason.strip()}" if reason else source_label(c.sources)]
    genres = genre_names(media_type, ids)[:MAX_GENRES]
    if genres:
        parts.append(", ".join(genres))
    if c.bucket == UPCOMING and c.release_date:
        parts.append(f"out {c.release_date}")
    return " · ".join(parts)
