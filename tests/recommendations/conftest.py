"""The TMDB, OpenAI and Google doubles over one small catalog, and engine inputs built on the
real clients (vault's TmdbClient, the openai SDK) pointed at them."""

from __future__ import annotations

from datetime import date

import pytest
from openai import OpenAI

from recommendations.engine.pipeline import Inputs
from tests.fakes.catalog import Catalog
from tests.fakes.google import GoogleDouble
from tests.fakes.openai_server import OpenAiDouble
from tests.fakes.tmdb import TmdbDouble
from vault.clients.errors import ServiceError
from vault.clients.google import GoogleClient
from vault.clients.tmdb import TmdbClient


@pytest.fixture(scope="session")
def catalog():
    return Catalog(n_movies=400, n_shows=80, seed=77)


@pytest.fixture(scope="session")
def doubles(catalog):
    servers = {"tmdb": TmdbDouble(catalog).start(), "openai": OpenAiDouble(delay=2.0).start(),
               "google": GoogleDouble(catalog).start()}
    yield servers
    for server in servers.values():
        server.stop()


@pytest.fixture
def tmdb_double(doubles, settings):
    settings.TMDB_BASE_URL = doubles["tmdb"].base
    settings.VAULT_HTTP_RETRIES = 0
    doubles["tmdb"].clear()
    return doubles["tmdb"]


@pytest.fixture
def openai_double(doubles):
    doubles["openai"].clear()
    return doubles["openai"]


@pytest.fixture
def google_double(doubles):
    doubles["google"].clear()
    return doubles["google"]


@pytest.fixture
def google_client(google_double):
    return GoogleClient(google_double.api_key, google_double.cx,
                        base_url=f"{google_double.url}/customsearch/v1")


@pytest.fixture
def tmdb_client(tmdb_double):
    return TmdbClient(tmdb_double.api_key)


@pytest.fixture
def openai_pair(openai_double):
    client = OpenAI(api_key=openai_double.api_key, base_url=openai_double.base, max_retries=0,
                    timeout=0.5)
    return client, openai_double.models[0]


@pytest.fixture
def make_inputs(tmdb_client, catalog):
    """Inputs on the doubles; Plex holds the catalog's in_plex titles."""
    def in_plex(ids):
        return {i: 10_000 + i for i in ids if (t := catalog.get("movie", i) or
                                               catalog.get("show", i)) and t.in_plex}

    def build(**overrides) -> Inputs:
        values = {"tmdb": tmdb_client, "in_plex": in_plex, "today": date.today(),
                  "errors": (ServiceError,)}
        return Inputs(**(values | overrides))

    return build


@pytest.fixture
def viewer(db):
    from vault.models import PlexViewer

    return PlexViewer.objects.create(account_id=1, name="Alice", is_owner=True, kind="owner")


@pytest.fixture
def other_viewer(db):
    from vault.models import PlexViewer

    return PlexViewer.objects.create(account_id=7, name="Bob", kind="shared")


@pytest.fixture
def library(db):
    from vault.models import PlexLibrary

    return PlexLibrary.objects.create(key="1", kind="movie", title="Movies")


@pytest.fixture
def ava(db):
    from vault.models import PlexViewer

    return PlexViewer.objects.create(account_id=1, name="Ava", is_owner=True, kind="owner")


@pytest.fixture
def bea(db):
    from vault.models import PlexViewer

    return PlexViewer.objects.create(account_id=2, name="Bea", kind="shared")


def make_pick(tmdb_id: int, rating_key: int | None = None, **extra):
    from recommendations.types import Pick

    values = {"tmdb_id": tmdb_id, "title": f"Title {tmdb_id}", "year": 2001,
              "release_date": "2001-02-03", "vote_average": 7.1, "vote_count": 321,
              "poster_path": f"/p{tmdb_id}.jpg", "bucket": "released",
              "why": "Because you watched Heat · TMDB recommends · crime", "sources": ["similar"],
              "score": 0.5, "rating_key": rating_key}
    return Pick(**(values | extra))
