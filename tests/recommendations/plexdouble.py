"""A Plex double and the real plexapi against it, for the row-sync tests of several modules.

    double, plex, server = row_doubles(n_movies=300, n_shows=20, seed=515)

in a test module gives it three fixtures: `double` (one PlexServerDouble per module over a
Catalog of those sizes), `plex` (that double, each test starting with no collections, an empty
request log and what the row sync learned forgotten) and `server` (plexapi's PlexServer on it).
`movie_keys(server)` lists the Movies section's rating keys.
"""

from __future__ import annotations

import os

os.environ.setdefault("PLEXAPI_CONFIG_PATH", os.devnull)

import pytest  # noqa: E402
from plexapi.server import PlexServer  # noqa: E402

from recommendations.rows import art  # noqa: E402
from recommendations.rows.section import forget_learned  # noqa: E402
from tests.fakes.catalog import Catalog  # noqa: E402
from tests.fakes.plex.server import PlexServerDouble  # noqa: E402

TOKEN = "plex-token"


def row_doubles(*, no_retries: bool = False, **catalog):
    """The three fixtures. `no_retries`: the pooled Plex session (vault.clients.http) makes no
    retries, so a planned fault reaches the sync as it would on the server's bare session."""

    @pytest.fixture(scope="module")
    def double():
        plex = PlexServerDouble(Catalog(**catalog), token=TOKEN).start()
        yield plex
        plex.stop()

    @pytest.fixture
    def plex(double, settings):
        if no_retries:
            settings.VAULT_HTTP_RETRIES = 0
        for rk in list(double.collections):
            double._delete_collection(rk)
        double.release_order_on_create = False
        double.clear()
        forget_learned()
        art.forget_art()
        return double

    @pytest.fixture(scope="module")
    def server(double):
        return PlexServer(double.url, TOKEN)

    return double, plex, server


def movie_keys(server) -> list[int]:
    data = server.query("/library/sections/1/all?type=1",
                        headers={"X-Plex-Container-Size": "5000"})
    return [int(el.get("ratingKey")) for el in data]
