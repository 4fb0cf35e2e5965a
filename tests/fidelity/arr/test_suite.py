"""Every double started together by tests.fakes.suite, with and without the Plex doubles."""

import pytest
import requests

from tests.fakes.suite import start_all
from tests.fidelity.arr.api import Api


# the suite ----------------------------------------------------------------------------------------
def test_suite_credentials_reach_every_double_without_plex(catalog):
    doubles = start_all(catalog, with_plex=False)
    try:
        creds = doubles.credentials()
        status = requests.get(f"{creds['radarr']['url']}/api/v3/system/status",
                              headers={"X-Api-Key": creds["radarr"]["key"]}, timeout=5)
        models = requests.get(f"{creds['openai']['base']}/models", timeout=5,
                              headers={"Authorization": f"Bearer {creds['openai']['key']}"})
    finally:
        doubles.stop()

    assert set(creds) == {"tmdb", "openai", "google", "radarr", "sonarr", "overseerr"}
    assert creds["tmdb"]["base"].endswith("/3")
    assert (status.status_code, models.status_code) == (200, 200)


def test_suite_includes_plex_doubles_when_present(catalog):
    pytest.importorskip("tests.fakes.plex")
    doubles = start_all(catalog)
    try:
        creds = doubles.credentials()
        users = Api(doubles.overseerr, creds["overseerr"]["key"]).get("/api/v1/user").json()
    finally:
        doubles.stop()

    assert {"plex", "plextv"} <= set(creds)
    assert len(users["results"]) == 4
