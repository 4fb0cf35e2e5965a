"""The order of a row in Plex: never by points.

Slot 1 is a random title released this year (else one released in the last 3 months); then
one title from each TMDB rating tier (high, mid, low); then the rest shuffled. Randomness is
seedable, so a refresh can be reproduced.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

HIGH_TIER, MID_TIER = 7.0, 5.5  # vote_average ≥ 7 is high, ≥ 5.5 mid, the rest low
RECENT_DAYS = 92


def _get(title: Any, name: str):
    return title.get(name) if isinstance(title, dict) else getattr(title, name, None)


def release_of(title: Any) -> date | None:
    value = _get(title, "release_date")
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def tier_of(title: Any) -> str:
    rating = float(_get(title, "vote_average") or 0.0)
    if rating >= HIGH_TIER:
        return "high"
    return "mid" if rating >= MID_TIER else "low"


def _take_random(pool: list, rng: random.Random, wanted) -> Any | None:
    matches = [i for i, t in enumerate(pool) if wanted(t)]
    return pool.pop(rng.choice(matches)) if matches else None


def _fresh_pick(pool: list, rng: random.Random, today: date) -> Any | None:
    def this_year(t):
        released = release_of(t)
        return released is not None and released.year == today.year and released <= today

    def last_months(t):
        released = release_of(t)
        return released is not None and today - timedelta(days=RECENT_DAYS) <= released <= today

    return _take_random(pool, rng, this_year) or _take_random(pool, rng, last_months)


def order_row(titles, rng_seed=None, today: date | None = None) -> list:
    """The titles (models, picks or dicts with release_date and vote_average) in row order."""
    rng = random.Random(rng_seed)
    today = today or date.today()
    pool = list(titles)
    ordered = []
    fresh = _fresh_pick(pool, rng, today)
    if fresh is not None:
        ordered.append(fresh)
    for tier in ("high", "mid", "low"):
        chosen = _take_random(pool, rng, lambda t, tier=tier: tier_of(t) == tier)
        if chosen is not None:
            ordered.append(chosen)
    rng.shuffle(pool)
    return ordered + pool
