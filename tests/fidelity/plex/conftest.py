"""The Plex and plex.tv doubles and a plexapi PlexServer on them, one set per test module."""

import pytest
from plexapi.server import PlexServer

from tests.fakes.catalog import Catalog
from tests.fakes.plex.plextv import PlexTvDouble
from tests.fakes.plex.server import PlexServerDouble
from tests.fidelity.plex.support import TOKEN, PlexTvSession


@pytest.fixture(scope="module")
def catalog():
    return Catalog()


@pytest.fixture(scope="module")
def doubles(catalog):
    plex = PlexServerDouble(catalog, token=TOKEN).start()
    plextv = PlexTvDouble(plex, token=TOKEN).start()
    yield plex, plextv
    plextv.stop()
    plex.stop()


@pytest.fixture
def plex(doubles):
    doubles[0].clear()
    return doubles[0]


@pytest.fixture
def plextv(doubles):
    doubles[1].clear()
    return doubles[1]


@pytest.fixture(scope="module")
def server(doubles):
    plex, plextv = doubles
    return PlexServer(plex.url, TOKEN, session=PlexTvSession(plextv.url))


@pytest.fixture(scope="module")
def movies(server):
    return server.library.sectionByID(1)


@pytest.fixture(scope="module")
def all_movies(movies):
    return movies.all()
