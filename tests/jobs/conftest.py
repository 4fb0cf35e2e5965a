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
    from tests.fakes.plex import PlexServerDouble

    plex = PlexServerDouble(Catalog(n_movies=60, n_shows=12)).start()
    yield plex
    plex.stop()


@pytest.fixture
def people(db):
    from tests.jobs.factories import libraries, viewers

    return viewers(), libraries()
