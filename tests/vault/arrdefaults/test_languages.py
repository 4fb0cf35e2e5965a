"""The Sonarr card offers language profiles on v3 and says why not on v4; a saved default the
service no longer has is a warning sentence above the choices."""

import pytest
import requests
from django.urls import reverse

from tests.fakes.arr.sonarr import SonarrDouble
from vault import integrations

pytestmark = pytest.mark.django_db
HX = {"HTTP_HX_REQUEST": "true"}


def choices(client, service: str) -> str:
    response = client.get(reverse("vault:arr_choices", args=[service]), **HX)
    assert response.status_code == 200
    return response.content.decode()


def save(double, service: str, **extra) -> None:
    integrations.save(service, True, {"url": double.url, "api_key": double.api_key,
                                      "root_folder": double.media_root, **extra})


@pytest.fixture
def sonarr_v3(configured_vault):
    double = SonarrDouble(configured_vault.catalog, v3=True).start()
    yield double
    double.stop()


def test_sonarr_v3_offers_its_language_profiles(admin_client, sonarr_v3):
    save(sonarr_v3, "sonarr")
    profiles = requests.get(f"{sonarr_v3.url}/api/v3/languageprofile", timeout=5,
                            headers={"X-Api-Key": sonarr_v3.api_key}).json()

    page = choices(admin_client, "sonarr")

    assert '<select name="language_profile"' in page
    assert all(f">{p['name']}</option>" in page for p in profiles) and len(profiles) >= 2
    assert "has no language profiles" not in page


def test_sonarr_v4_says_languages_come_from_the_quality_profile(admin_client, configured_vault):
    save(configured_vault.sonarr, "sonarr")

    page = choices(admin_client, "sonarr")

    assert "Sonarr v4 has no language profiles; languages come from the quality profile." in page
    assert 'name="language_profile"' not in page


def test_a_saved_language_profile_sonarr_v3_lost_is_a_warning(admin_client, sonarr_v3):
    save(sonarr_v3, "sonarr", language_profile=987)

    page = choices(admin_client, "sonarr")

    assert "Sonarr has no language profile with id 987 any more; choose one." in page


def test_a_saved_root_folder_radarr_lost_is_a_warning(admin_client, configured_vault):
    save(configured_vault.radarr, "radarr")
    integrations.save("radarr", True, {**integrations.get_config("radarr").values,
                                       "root_folder": "/old"})

    page = choices(admin_client, "radarr")

    assert 'class="warning" role="alert">Radarr has no root folder /old any more; choose one.' \
        in page
