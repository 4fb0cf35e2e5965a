"""Against the Plex double: a title removed in the deck leaves the viewer's row at the apply's
one sync, and its undo brings it back at the next."""

from __future__ import annotations

import pytest
from django.utils import timezone

from observatory.apply import apply_decisions
from observatory.deck.cards import Scope
from observatory.deck.decide import decide, undo_last
from recommendations.models import ImmaculateTasteTitle
from recommendations.rows.sync import sync_viewer_rows
from tests.jobs.conftest import people, stack  # noqa: F401
from vault.clients.factory import plex_server
from vault.models import PlexItem

pytestmark = pytest.mark.django_db
ROW = "Inspired by your Immaculate Taste (Bea)"


def row_keys(plex):
    collection = plex.collection_by_title(1, ROW)
    return sorted(plex.collection_items(collection.rating_key)) if collection else []


def seed_row(stack) -> list:  # noqa: F811 - the fixture's value
    """Four Movies titles in Bea's Immaculate Taste dataset and in her row in Plex."""
    bea, movies, plex = stack["viewers"]["bea"], stack["libraries"]["1"], stack["plex"]
    items = list(PlexItem.objects.filter(library=movies, tmdb_id__isnull=False)
                 .order_by("rating_key")[:4])
    now = timezone.now()
    for item in items:
        ImmaculateTasteTitle.objects.create(
            viewer=bea, library=movies, media_type="movie", tmdb_id=item.tmdb_id,
            title=item.title, year=item.year, rating_key=item.rating_key, status="active",
            points=50, first_suggested_at=now, last_suggested_at=now)
    sync_viewer_rows(plex_server(), bea, movies)
    assert row_keys(plex) == sorted(i.rating_key for i in items)
    return items


def test_removed_title_leaves_the_row_and_undo_brings_it_back(stack, enqueued):  # noqa: F811
    bea, movies, plex = stack["viewers"]["bea"], stack["libraries"]["1"], stack["plex"]
    items = seed_row(stack)
    gone = items[0]

    decide(Scope(bea, movies), gone.tmdb_id, "remove")
    report = apply_decisions(bea, movies)

    assert report == {"applied": 1, "sent": 0, "rows_synced": True, "rows_ok": True}
    assert row_keys(plex) == sorted(i.rating_key for i in items[1:])

    undo_last(Scope(bea, movies))
    apply_decisions(bea, movies)

    assert row_keys(plex) == sorted(i.rating_key for i in items)
