"""Decks for Bea in Movies: titles in the dataset, titles waiting for approval, the Radarr
double, and a row sync that only counts."""

from __future__ import annotations

import pytest
from django.utils import timezone

from recommendations.missing.routing import Missing, Routing
from recommendations.missing.send import send_missing
from recommendations.models import ImmaculateTasteTitle
from tests.recommendations.missing import conftest as arr_fixtures

# The Radarr, Sonarr and Overseerr doubles and the viewers of the missing-titles tests.
arr, arr_catalog, arr_doubles = arr_fixtures.arr, arr_fixtures.arr_catalog, arr_fixtures.arr_doubles
who = arr_fixtures.who
WAIT = Routing(fetch_missing=True, route="direct", approval=True, search_now=True)


def titles(people, libs, ids, media="movie", library="1"):
    now = timezone.now()
    ImmaculateTasteTitle.objects.bulk_create([ImmaculateTasteTitle(
        viewer=people["bea"], library=libs[library], media_type=media, tmdb_id=t,
        title=f"Title {t}", year=2000 + t % 20, vote_average=7.1, vote_count=300 + t,
        why="Because you watched Heat: crime, thriller", points=50 - i % 50,
        rating_key=None if t % 2 else 9000 + t, status="pending" if t % 2 else "active",
        first_suggested_at=now, last_suggested_at=now) for i, t in enumerate(ids)])


def waiting(people, libs, ids):
    """Sends waiting for approval, as a run with approval on leaves them."""
    missing = [Missing(t, f"Title {t}", 2001) for t in ids]
    send_missing(people["bea"], libs["1"], "movie", missing, "immaculate_taste", WAIT, False)


@pytest.fixture
def deck(who):  # noqa: F811 - the fixture above
    people, libs = who
    titles(people, libs, [1003, 1005, 1007, 1010, 1012])
    waiting(people, libs, [1003, 1005])
    return {"bea": people["bea"], "movies": libs["1"], "people": people, "libs": libs}


@pytest.fixture
def syncs(monkeypatch):
    """Row syncs the apply asks for (Plex is not needed to count them)."""
    from observatory import apply
    from recommendations.rows.sync import RowsReport

    calls = []
    monkeypatch.setattr(apply.factory, "plex_server", lambda: "plex")
    monkeypatch.setattr(apply.sync, "sync_viewer_rows",
                        lambda server, viewer, library, **kw: calls.append(
                            (viewer.name, library.title)) or RowsReport(viewer.name,
                                                                         library.title, False))
    return calls


@pytest.fixture
def enqueued(monkeypatch):
    """apply_async calls, instead of a broker."""
    from observatory import tasks

    calls = []
    monkeypatch.setattr(tasks.apply_decisions, "apply_async",
                        lambda kwargs=None, countdown=None: calls.append((kwargs, countdown)))
    return calls
