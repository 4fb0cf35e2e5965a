"""Deterministic ranking: similarity to the seed, quality from rating and votes, novelty.

The same candidates and seed always give the same order (ties break by TMDB id), so a run
without OpenAI is reproducible and a fallback is predictable.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from recommendations.types import CONTRAST, Candidate, ResolvedSeed

# How strongly each pool vouches for a candidate being like the seed.
SOURCE_WEIGHT = {"recommendations": 1.0, "similar": 0.8, "google": 0.7, "discover": 0.5,
                 "upcoming": 0.4}
WEIGHTS = {  # (similarity, quality, novelty)
    "similar": (0.55, 0.35, 0.10),
    CONTRAST: (0.15, 0.40, 0.45),
}
PRIOR_VOTES = 150  # a title needs about this many votes before its own rating dominates
PRIOR_RATING = 6.5
ERA_SPAN_YEARS = 30


def popularity_norm(popularity: float) -> float:
    return min(1.0, math.log1p(max(popularity, 0.0)) / math.log1p(1000))


def quality(c: Candidate) -> float:
    votes = max(c.vote_count, 0)
    bayes = (votes * c.vote_average + PRIOR_VOTES * PRIOR_RATING) / (votes + PRIOR_VOTES)
    return 0.8 * bayes / 10 + 0.2 * popularity_norm(c.popularity)


def genre_overlap(c: Candidate, seed: ResolvedSeed) -> float:
    """Share of the seed's genres the candidate has (0 when the seed has none)."""
    if not seed.genre_ids:
        return 0.0
    return len(set(c.genre_ids) & set(seed.genre_ids)) / len(set(seed.genre_ids))


def similarity(c: Candidate, seed: ResolvedSeed) -> float:
    source = max((SOURCE_WEIGHT.get(s, 0.3) for s in c.sources), default=0.0)
    position = max(0.0, 1.0 - c.rank_hint / 40)
    agreement = 0.1 * min(len(set(c.sources)) - 1, 2)
    return 0.45 * genre_overlap(c, seed) + 0.35 * source + 0.2 * position + agreement


def novelty(c: Candidate, seed: ResolvedSeed) -> float:
    union = set(c.genre_ids) | set(seed.genre_ids)
    jaccard = len(set(c.genre_ids) & set(seed.genre_ids)) / len(union) if union else 0.0
    era = 0.0
    if c.year and seed.year:
        era = min(1.0, abs(c.year - seed.year) / ERA_SPAN_YEARS)
    return 0.5 * (1 - jaccard) + 0.3 * era + 0.2 * (1 - popularity_norm(c.popularity))


def score(c: Candidate, seed: ResolvedSeed, mode: str) -> float:
    w_sim, w_quality, w_novelty = WEIGHTS.get(mode, WEIGHTS["similar"])
    total = (w_sim * similarity(c, seed) + w_quality * quality(c)
             + w_novelty * novelty(c, seed))
    return round(total, 6)


def rank(candidates: Iterable[Candidate], seed: ResolvedSeed, mode: str,
         exclude: set[int] = frozenset()) -> list[Candidate]:
    """Score and sort, leaving out excluded ids and the seed itself; contrast mode also leaves
    out anything that shares a genre with the seed."""
    kept = []
    for c in candidates:
        if c.tmdb_id == seed.tmdb_id or c.tmdb_id in exclude:
            continue
        if mode == CONTRAST and set(c.genre_ids) & set(seed.genre_ids):
            continue
        c.score = score(c, seed, mode)
        kept.append(c)
    return sorted(kept, key=lambda c: (-c.score, c.tmdb_id))
