"""Service fixtures: every double running on loopback, and a Vault that points at them.

Register with `pytest_plugins = ["tests.fixtures_services"]` in tests/conftest.py.

- `doubles`: tests.fakes.suite.Doubles for the whole session (a small catalog).
- `service_settings`: settings pointing TMDB/plex.tv/Google at the doubles, with short HTTP
  timeouts and retries so failure tests stay fast.
- `configured_vault`: every integration saved and enabled against the doubles; returns the
  doubles (request logs and faults cleared before and after the test).
"""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("PLEXAPI_CONFIG_PATH", os.devnull)  # no developer plexapi config leaks in

VAULT_FIXTURE_SIZES = {"n_movies": 300, "n_shows": 40}


@pytest.fixture(scope="session")
def doubles():
    from tests.fakes.suite import start_all

    running = start_all(**VAULT_FIXTURE_SIZES)
    yield running
    running.stop()


@pytest.fixture
def service_settings(settings, doubles):
    settings.PLEX_TV_URL = doubles.plextv.url
    settings.TMDB_BASE_URL = doubles.tmdb.base
    settings.GOOGLE_SEARCH_URL = f"{doubles.google.url}/customsearch/v1"
    settings.VAULT_HTTP_TIMEOUT = 1.0
    settings.VAULT_HTTP_RETRIES = 1
    settings.VAULT_HTTP_BACKOFF = 0.01
    settings.VAULT_HTTP_MAX_WAIT = 0.2
    return settings


def vault_values(doubles) -> dict[str, dict]:
    """What `vault set` would be given for each service to reach the doubles."""
    c = doubles.credentials()
    arr = {name: {"url": c[name]["url"], "api_key": c[name]["key"],
                  "root_folder": c[name]["root_folder"],
                  "quality_profile": c[name]["quality_profile_id"]}
           for name in ("radarr", "sonarr")}
    return {
        "plex": {"url": c["plex"]["url"], "token": c["plex"]["token"]},
        "tmdb": {"api_key": c["tmdb"]["key"]},
        "openai": {"api_key": c["openai"]["key"], "base_url": c["openai"]["base"],
                   "model": c["openai"]["model"]},
        "google": {"api_key": c["google"]["key"], "cx": c["google"]["cx"]},
        **arr,
        "overseerr": {"url": c["overseerr"]["url"], "api_key": c["overseerr"]["key"]},
    }


@pytest.fixture
def configured_vault(db, doubles, service_settings):
    from vault import integrations

    doubles.clear()
    for service, values in vault_values(doubles).items():
        integrations.save(service, True, values)
    yield doubles
    doubles.clear()
