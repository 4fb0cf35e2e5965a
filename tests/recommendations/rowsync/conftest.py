"""The Plex double these tests sync against, through the real plexapi, and its movies."""

import pytest

from tests.recommendations.plexdouble import movie_keys, row_doubles

double, plex, server = row_doubles(no_retries=True, n_movies=600, n_shows=20, seed=4242)


@pytest.fixture(scope="module")
def movies(server):
    return movie_keys(server)
