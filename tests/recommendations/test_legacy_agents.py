"""Libraries entirely on the legacy agents (issue 9 item 2).

Movies on `com.plexapp.agents.imdb://tt…?lang=en` carry only an IMDb id, shows on
`com.plexapp.agents.thetvdb://12345?lang=en` only a TVDB id (python-plexapi's Guid docs: the
<Guid> children exist only for the new Plex agents). Picks match shows by TVDB id (TMDB's
`external_ids`), movies by IMDb id, and watch history counts them all; no Plex request.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.utils import timezone

from recommendations.datasets.activation import activate_pending
from recommendations.datasets.watched import watched_tmdb_ids
from recommendations.engine import api, pipeline
from recommendations.models import ImmaculateTasteTitle, RecommendationSettings
from tests.recommendations.conftest import make_pick
from vault.models import PlexItem, PlexLibrary

pytestmark = pytest.mark.django_db


@pytest.fixture
def shows(db):
    return PlexLibrary.objects.create(key="2", kind="show", title="TV (TheTVDB agent)")


def tvdb_item(library, rating_key, title):
    return PlexItem.objects.create(
        library=library, rating_key=rating_key, kind="show", title=title.title,
        guid=f"com.plexapp.agents.thetvdb://{title.tvdb_id}?lang=en", tvdb_id=title.tvdb_id)


def test_activation_matches_a_tvdb_only_show(viewer, shows, catalog):
    show = next(t for t in catalog.shows if t.tvdb_id)
    tvdb_item(shows, 30, show)
    now = timezone.now()
    ImmaculateTasteTitle.objects.create(
        viewer=viewer, library=shows, media_type="show", tmdb_id=show.tmdb_id,
        tvdb_id=show.tvdb_id, title=show.title, status="pending", points=0,
        first_suggested_at=now, last_suggested_at=now)

    changes = activate_pending(viewer, shows, "show", max_points=40)

    row = ImmaculateTasteTitle.objects.get()
    assert (row.status, row.rating_key, row.points) == ("active", 30, 40)
    assert [a["tmdb_id"] for a in changes.activated] == [show.tmdb_id]


def test_picks_match_a_tvdb_only_show_through_tmdb_external_ids(viewer, shows, catalog,
                                                                tmdb_client):
    show = next(t for t in catalog.shows if t.tvdb_id)
    tvdb_item(shows, 30, show)
    inputs = api.build_inputs(viewer, shows, "show", RecommendationSettings.load())
    inputs.tmdb = tmdb_client
    run = pipeline.Run(inputs, "show", "similar", 1, 0)
    pick = make_pick(show.tmdb_id)

    pipeline.attach_ids(run, [pick])

    assert (pick.tvdb_id, pick.rating_key) == (show.tvdb_id, 30)


def test_history_counts_imdb_only_movies_and_tvdb_only_shows(catalog, tmdb_client, shows):
    movies = PlexLibrary.objects.create(key="1", kind="movie", title="Movies (IMDb agent)")
    movie = next(t for t in catalog.movies if t.imdb_id and t.in_plex)
    show = next(t for t in catalog.shows if t.tvdb_id)
    for key in (10, 11):  # two files of one IMDb id, as legacy libraries often have
        PlexItem.objects.create(library=movies, rating_key=key, kind="movie",
                                title=movie.title, imdb_id=movie.imdb_id,
                                guid=f"com.plexapp.agents.imdb://{movie.imdb_id}?lang=en")
    tvdb_item(shows, 30, show)

    seen_movies = watched_tmdb_ids(movies, [SimpleNamespace(type="movie", ratingKey=11)],
                                   tmdb_client)
    seen_shows = watched_tmdb_ids(shows, [SimpleNamespace(
        type="episode", ratingKey=99, grandparentKey="/library/metadata/30")], tmdb_client)

    assert (seen_movies, seen_shows) == ({movie.tmdb_id}, {show.tmdb_id})


def test_history_maps_legacy_items_through_our_rows_without_tmdb(viewer, shows, catalog):
    show = next(t for t in catalog.shows if t.tvdb_id)
    tvdb_item(shows, 30, show)
    now = timezone.now()
    ImmaculateTasteTitle.objects.create(
        viewer=viewer, library=shows, media_type="show", tmdb_id=show.tmdb_id,
        tvdb_id=show.tvdb_id, title=show.title, status="active", points=4, rating_key=30,
        first_suggested_at=now, last_suggested_at=now)

    seen = watched_tmdb_ids(shows, [SimpleNamespace(
        type="episode", ratingKey=99, grandparentKey="/library/metadata/30")])

    assert seen == {show.tmdb_id}
