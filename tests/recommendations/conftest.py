"""The TMDB, OpenAI and Google doubles over one small catalog, and engine inputs built on the
real clients (vault's TmdbClient, the openai SDK) pointed at them."""

from __future__ import annotations

from datetime import date

import pytest
import requests
from openai import OpenAI

from recommendations.engine import Inputs
from tests.fakes.catalog import Catalog
from tests.fakes.google import GoogleDouble
from tests.fakes.openai_server import OpenAiDouble
from tests.fakes.tmdb import TmdbDouble
from vault.clients.errors import ServiceError
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


class WebSearch:
    """A minimal Google Programmable Search client for the double."""

    def __init__(self, double):
        self.double = double

    def search(self, query: str, num: int = 10) -> list[dict]:
        answer = requests.get(f"{self.double.url}/customsearch/v1", timeout=5, params={
            "key": self.double.api_key, "cx": self.double.cx, "q": query, "num": num}).json()
        return answer.get("items", [])


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
