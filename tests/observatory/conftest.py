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


ROW = "Inspired by your Immaculate Taste (Bea)"


@pytest.fixture
def live(configured_vault, redis_url, settings, tmp_path):
    """The doubles of one catalog in the Vault (Radarr back to its seeded state), Plex
    mirrored, and a real Celery worker on Redis (broker and cache, shared with this process,
    which plays the web server); the debounce shortened to 2 s through the setting the task
    message carries."""
    from immaculaterr.celery import app
    from tests.jobs import procs
    from vault.clients.factory import plex_server
    from vault.mirror import reader

    doubles = configured_vault
    doubles.radarr.reset()
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                   "LOCATION": redis_url}}
    settings.OBSERVATORY_DEBOUNCE_SECONDS = 2
    before = app.conf.broker_url
    app.conf.broker_url, app._pool, app.amqp._producer_pool = redis_url, None, None
    reader.refresh(plex_server())
    try:
        with procs.processes() as started:
            started.append(procs.start_worker(
                "observatory", tmp_path, REDIS_URL=redis_url,
                TMDB_BASE_URL=doubles.tmdb.base, PLEX_TV_URL=doubles.plextv.url))
            yield {"doubles": doubles, "worker": started[0]}
    finally:
        app.conf.broker_url, app._pool, app.amqp._producer_pool = before, None, None


def seed_live(doubles, n_waiting: int, n_review: int) -> dict:
    """Bea's Movies deck on the doubles: `n_waiting` catalog movies Plex lacks waiting for
    approval (Radarr), then `n_review` movies of the Movies library in her Immaculate Taste
    dataset and in her row in Plex (synced once)."""
    from recommendations.rows.sync import sync_viewer_rows
    from vault.clients.factory import plex_server
    from vault.models import PlexItem, PlexLibrary, PlexViewer

    bea = PlexViewer.objects.get(name="Bea")
    movies = PlexLibrary.objects.get(title="Movies", kind="movie")
    items = list(PlexItem.objects.filter(library=movies, tmdb_id__isnull=False)
                 .order_by("rating_key")[:n_review])
    indexed = set(PlexItem.objects.filter(tmdb_id__isnull=False)
                  .values_list("tmdb_id", flat=True))
    wanted = [m for m in doubles.catalog.movies
              if not m.in_plex and m.tmdb_id not in indexed
              and doubles.radarr.movie_by_tmdb(m.tmdb_id) is None][:n_waiting]
    send_missing(bea, movies, "movie", [Missing(m.tmdb_id, m.title, m.year) for m in wanted],
                 "immaculate_taste", WAIT, False)
    now = timezone.now()
    ImmaculateTasteTitle.objects.bulk_create([ImmaculateTasteTitle(
        viewer=bea, library=movies, media_type="movie", tmdb_id=item.tmdb_id,
        title=item.title, year=item.year, rating_key=item.rating_key, status="active",
        vote_average=7.0, vote_count=100, why="Because you watched Heat",
        points=100 - i, first_suggested_at=now, last_suggested_at=now)
        for i, item in enumerate(items)])
    sync_viewer_rows(plex_server(), bea, movies)
    return {"bea": bea, "movies": movies, "waiting": wanted, "items": items}


def row_keys(plex, movies) -> list[int]:
    collection = plex.collection_by_title(int(movies.key), ROW)
    return sorted(plex.collection_items(collection.rating_key)) if collection else []
