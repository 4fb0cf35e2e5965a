"""The Radarr, Sonarr and Overseerr doubles over one catalog, one set per test module."""

import pytest

from tests.fakes.arr.radarr import RadarrDouble
from tests.fakes.arr.sonarr import SonarrDouble
from tests.fakes.catalog import Catalog
from tests.fakes.overseerr import OverseerrDouble


@pytest.fixture(scope="module")
def catalog():
    return Catalog(n_movies=300, n_shows=60)


@pytest.fixture(scope="module")
def servers(catalog):
    started = [RadarrDouble(catalog).start(), SonarrDouble(catalog).start(),
               OverseerrDouble(catalog).start()]
    yield started
    for server in started:
        server.stop()


@pytest.fixture
def radarr(servers):
    servers[0].reset()
    return servers[0]


@pytest.fixture
def sonarr(servers):
    servers[1].reset()
    return servers[1]


@pytest.fixture
def overseerr(servers):
    servers[2].reset()
    return servers[2]
