"""Released / upcoming / unknown buckets and the mix a run asks for.

upcoming = round(count × upcomingPercent / 100), but released is never below 25% of count.
"round" is the arithmetic one, halves up (10 × 25% = 2.5 → 3 upcoming, 7 released), as the
product's own Math.round does; Python's round() would take 2.5 to 2 but 3.5 to 4, so the dial's
15% and 25% would ask for the same 2 of 10 and 35% would jump to 4. Halves up, every 10% step
on a run of 10 moves exactly one title. Integer arithmetic keeps it exact.
When a bucket runs short, the others fill in (released first, then unknown, then upcoming), so
a run still yields `count` titles when the pool allows it.
"""

from __future__ import annotations

import math
from datetime import date, timedelta

from recommendations.types import RELEASED, UNKNOWN, UPCOMING

UPCOMING_HORIZON_DAYS = 730  # "upcoming" means within the next 24 months
MIN_RELEASED_SHARE = 0.25


def bucket_of(release_date: str | None, today: date) -> str | None:
    """RELEASED, UPCOMING, UNKNOWN (no usable date), or None: too far ahead to suggest."""
    try:
        released = date.fromisoformat(release_date) if release_date else None
    except ValueError:
        released = None
    if released is None:
        return UNKNOWN
    if released <= today:
        return RELEASED
    if released <= today + timedelta(days=UPCOMING_HORIZON_DAYS):
        return UPCOMING
    return None


def upcoming_share(count: int, upcoming_percent: int) -> int:
    """count × percent / 100 rounded half up, exactly (no float)."""
    return (count * upcoming_percent + 50) // 100


def targets(count: int, upcoming_percent: int) -> dict[str, int]:
    """How many released and upcoming titles a run of `count` asks for."""
    upcoming = upcoming_share(count, upcoming_percent)
    min_released = math.ceil(count * MIN_RELEASED_SHARE)
    upcoming = max(0, min(upcoming, count - min_released))
    return {RELEASED: count - upcoming, UPCOMING: upcoming, UNKNOWN: 0}


def quotas(count: int, upcoming_percent: int, available: dict[str, int]) -> dict[str, int]:
    """The targets, with shortfalls in one bucket filled from the others."""
    want = targets(count, upcoming_percent)
    got = {b: min(want[b], available.get(b, 0)) for b in (RELEASED, UPCOMING, UNKNOWN)}
    missing = count - sum(got.values())
    for b in (RELEASED, UNKNOWN, UPCOMING):
        extra = min(missing, available.get(b, 0) - got[b])
        got[b] += extra
        missing -= extra
    return got
