"""The Plex double these tests sync against, through the real plexapi, and its movies."""

import os

os.environ.setdefault("PLEXAPI_CONFIG_PATH", os.devnull)

import pytest  # noqa: E402
from plexapi.server import PlexServer  # noqa: E402

from recommendations.rows.section import forget_learned  # noqa: E402
from tests.fakes.catalog import Catalog  # noqa: E402
from tests.fakes.plex.server import PlexServerDouble  # noqa: E402
from tests.recommendations.rowsync.helpers import TOKEN  # noqa: E402


@pytest.fixture(scope="module")
def double():
    plex = PlexServerDouble(Catalog(n_movies=600, n_shows=20, seed=4242), token=TOKEN).start()
    yield plex
    plex.stop()


@pytest.fixture
def plex(double, settings):
    # Row requests go through the pooled Plex session (vault.clients.http); without its
    # retries a planned fault reaches the sync, as it did on the server's own bare session.
    settings.VAULT_HTTP_RETRIES = 0
    for rk in list(double.collections):
        double._delete_collection(rk)
    double.release_order_on_create = False
    double.clear()
    forget_learned()
    return double


@pytest.fixture(scope="module")
def server(double):
    return PlexServer(double.url, TOKEN)


@pytest.fixture(scope="module")
def movies(server):
    data = server.query("/library/sections/1/all?type=1",
                        headers={"X-Plex-Container-Size": "5000"})
    return [int(el.get("ratingKey")) for el in data]
