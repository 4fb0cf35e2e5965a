"""Radarr, Sonarr and Overseerr doubles over one catalog, saved in the Vault, and viewers."""

from __future__ import annotations

import pytest

from tests.fakes.arr.radarr import RadarrDouble
from tests.fakes.arr.sonarr import SonarrDouble
from tests.fakes.catalog import Catalog
from tests.fakes.overseerr import OverseerrDouble
from tests.jobs.factories import libraries, viewers
from vault import integrations


@pytest.fixture(scope="session")
def arr_catalog():
    return Catalog(n_movies=60, n_shows=20, seed=12)


@pytest.fixture(scope="session")
def arr_doubles(arr_catalog):
    servers = {"radarr": RadarrDouble(arr_catalog).start(),
               "sonarr": SonarrDouble(arr_catalog, v3=True).start(),
               "overseerr": OverseerrDouble(arr_catalog).start()}
    yield servers
    for server in servers.values():
        server.stop()


@pytest.fixture
def arr(arr_doubles, db, settings):
    """The doubles reset and saved in the Vault with root folder, profile and a tag."""
    settings.VAULT_HTTP_RETRIES = 0
    for server in arr_doubles.values():
        server.reset()
    radarr, sonarr, overseerr = (arr_doubles[k] for k in ("radarr", "sonarr", "overseerr"))
    integrations.save("radarr", True, {"url": radarr.url, "api_key": radarr.api_key,
                                       "root_folder": radarr.media_root, "quality_profile": 4,
                                       "minimum_availability": "released"})
    integrations.save("sonarr", True, {"url": sonarr.url, "api_key": sonarr.api_key,
                                       "root_folder": sonarr.media_root, "quality_profile": 4,
                                       "series_type": "standard",
                                       "season_monitor": "firstSeason",
                                       "language_profile": 1})
    integrations.save("overseerr", True, {"url": overseerr.url,
                                          "api_key": overseerr.api_key})
    return arr_doubles


@pytest.fixture
def who(db):
    """Viewers (Bea is Overseerr's alice by plex.tv id 2; Cy has no Overseerr user) and
    libraries."""
    people = viewers()
    people["bea"].plextv_id = 2
    people["bea"].save()
    return people, libraries()
