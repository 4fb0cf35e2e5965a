"""Fresh Out Of The Oven: titles of a library released in the last 3 months (up to today) that
the viewer has not watched, newest release first."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from recommendations.datasets.watched import history_keys
from vault.models import PlexItem

FRESH_DAYS = 92


def recent_items(library, today: date | None = None) -> list:
    """The library's fresh titles as (rating_key, title, year, originally_available_at) rows.

    Plain rows, not PlexItems: a busy library has ~1,000 fresh titles, read again for every
    viewer, and whole model instances (each parsing its versions JSON) were most of a Fresh
    Out sweep's database time."""
    today = today or date.today()
    return list(PlexItem.objects.filter(
        library=library, originally_available_at__gte=today - timedelta(days=FRESH_DAYS),
        originally_available_at__lte=today).order_by("-originally_available_at", "title")
        .values_list("rating_key", "title", "year", "originally_available_at", named=True))


def unwatched_recent(server, viewer, library, today: date | None = None,
                     recent: list | None = None) -> list:
    """The viewer's fresh titles (see `recent_items`; `recent`: the library's, when the caller
    has them); one history read for the viewer and library."""
    recent = recent_items(library, today) if recent is None else recent
    if not recent:
        return []
    since = today or date.today()
    seen = history_keys(server, viewer, library,
                        since=_midnight(since - timedelta(days=FRESH_DAYS)))
    return [item for item in recent if item.rating_key not in seen]


def _midnight(day: date):
    return datetime(day.year, day.month, day.day)
