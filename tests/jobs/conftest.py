from __future__ import annotations

import pytest

from jobs import registry


@pytest.fixture
def demo_jobs():
    """Register the demo jobs for one test (they are also what worker subprocesses load)."""
    import importlib

    from tests.jobs import demojobs

    before = dict(registry.REGISTRY)
    importlib.reload(demojobs)
    yield registry.REGISTRY
    registry.REGISTRY.clear()
    registry.REGISTRY.update(before)


@pytest.fixture
def plex_double():
    from tests.fakes.catalog import Catalog
    from tests.fakes.plex.server import PlexServerDouble

    plex = PlexServerDouble(Catalog(n_movies=60, n_shows=12)).start()
    yield plex
    plex.stop()


@pytest.fixture
def people(db):
    from tests.jobs.factories import libraries, viewers

    return viewers(), libraries()


@pytest.fixture
def stack(people, settings):
    """Plex and TMDB doubles over one catalog, connected in the vault, Movies indexed."""
    from tests.fakes.catalog import Catalog
    from tests.fakes.plex.plextv import PlexTvDouble
    from tests.fakes.plex.server import PlexServerDouble
    from tests.fakes.tmdb import TmdbDouble
    from tests.jobs.factories import connect_plex
    from vault import integrations
    from vault.clients.factory import plex_server
    from vault.mirror import reader

    catalog = Catalog(n_movies=120, n_shows=20, seed=77)
    plex, tmdb = PlexServerDouble(catalog).start(), TmdbDouble(catalog).start()
    plextv = PlexTvDouble(plex).start()
    settings.TMDB_BASE_URL, settings.PLEX_TV_URL = tmdb.base, plextv.url
    settings.VAULT_HTTP_RETRIES = 0
    connect_plex(plex)
    integrations.save("tmdb", True, {"api_key": tmdb.api_key})
    viewers, libraries = people
    server = plex_server()
    for library in libraries.values():
        reader.index_library(server, library)
    plex.clear()
    yield {"plex": plex, "tmdb": tmdb, "catalog": catalog, "viewers": viewers,
           "libraries": libraries}
    plex.stop()
    plextv.stop()
    tmdb.stop()
