"""vault.mirror.lookup.match_keys: TMDB id, else IMDb id, else TVDB id; the oldest ratingKey wins;
zero Plex requests (issue 9 item 2)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from vault.mirror import lookup
from vault.models import PlexItem, PlexLibrary

pytestmark = pytest.mark.django_db


@pytest.fixture
def libs():
    movies = PlexLibrary.objects.create(key="11", kind="movie", title="Legacy movies")
    shows = PlexLibrary.objects.create(key="12", kind="show", title="TVDB shows")
    PlexItem.objects.bulk_create([
        PlexItem(library=movies, rating_key=500, kind="movie", title="Dup B",
                 imdb_id="tt0000002"),
        PlexItem(library=movies, rating_key=400, kind="movie", title="Dup A",
                 imdb_id="tt0000002"),
        PlexItem(library=movies, rating_key=300, kind="movie", title="Modern",
                 tmdb_id=603, imdb_id="tt0133093"),
        PlexItem(library=shows, rating_key=30, kind="show", title="TVDB only", tvdb_id=81189),
    ])
    return movies, shows


def test_match_keys_by_tmdb_then_imdb_then_tvdb(libs):
    movies, shows = libs

    found_movies = lookup.match_keys(movies, [(603, None, None), (7, "tt0000002", None),
                                                 (8, "tt9999999", None)])
    found_shows = lookup.match_keys(shows, [(1396, "tt0903747", 81189), (9, None, 1)])

    assert found_movies == {603: 300, 7: 400}
    assert found_shows == {1396: 30}


def test_match_keys_is_a_few_indexed_queries(libs):
    movies, _ = libs
    with CaptureQueriesContext(connection) as queries:
        lookup.match_keys(movies, [(i, f"tt{i:07d}", i) for i in range(1, 300)])
    assert len(queries) <= 4
