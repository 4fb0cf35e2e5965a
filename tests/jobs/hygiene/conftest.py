"""Doubles of their own for the cleanup tests (they add versions and items, which must not leak
into the session's shared doubles), started once for the package and connected in the Vault.
Each test takes titles no earlier test touched (movie_only_in_movies skips those already
copied), and Radarr/Sonarr go back to their seeded state before each."""

from __future__ import annotations

import pytest

from tests.fakes.suite import start_all
from tests.fixtures_services import vault_values

SIZES = {"n_movies": 150, "n_shows": 16, "seed": 14}


@pytest.fixture(scope="package")
def fakes():
    doubles = start_all(**SIZES)
    yield doubles
    doubles.stop()


@pytest.fixture
def vaulted(fakes, settings):
    """Every service saved (OpenAI/Google off, as an admin without them), request logs
    cleared; Radarr/Sonarr back to their seeded state."""
    from vault import integrations

    fakes.clear()
    fakes.plex.deleted_media.clear()
    fakes.radarr.reset(), fakes.sonarr.reset()
    settings.TMDB_BASE_URL, settings.PLEX_TV_URL = fakes.tmdb.base, fakes.plextv.url
    settings.VAULT_HTTP_RETRIES = 0
    for service, values in vault_values(fakes).items():
        integrations.save(service, service not in ("openai", "google"), values)
    yield fakes
    fakes.plex.allow_media_deletion = True


def writes(double, method: str | None = None) -> list:
    return [r for r in double.requests if r.method in ((method,) if method else
                                                        ("POST", "PUT", "DELETE"))]
