"""The Vault's Test button tries what the form holds, saved or not, like the *arr apps (issue 15
must-show 4): it reports the doubles' answer (ok, 401, refused) and saves nothing. Saving turns
a service on once its required fields are filled; an empty form is refused, never "Saved."."""

import pytest
from django.urls import reverse

from vault import integrations
from vault.models import Integration

pytestmark = pytest.mark.django_db
HX = {"HTTP_HX_REQUEST": "true"}
CLOSED = "http://127.0.0.1:9"


def press_test(client, service: str, data: dict) -> str:
    response = client.post(reverse("vault:test", args=[service]), data, **HX)
    assert response.status_code == 200
    return response.content.decode()


def test_form_test_unsaved_radarr_values_reach_the_double_and_save_nothing(
        admin_client, doubles, service_settings):
    radarr = doubles.credentials()["radarr"]

    page = press_test(admin_client, "radarr", {"url": radarr["url"], "api_key": radarr["key"]})

    assert "Works" in page and "Reached Radarr" in page
    assert radarr["key"] not in page
    assert Integration.objects.count() == 0


def test_form_test_unsaved_wrong_key_reports_the_401(admin_client, doubles, service_settings):
    radarr = doubles.credentials()["radarr"]

    page = press_test(admin_client, "radarr", {"url": radarr["url"], "api_key": "not-the-key"})

    assert "Radarr refused the API key (401). Check the API key in the Vault." in page
    assert Integration.objects.count() == 0


def test_form_test_unsaved_closed_port_reports_refused(admin_client, service_settings):
    page = press_test(admin_client, "overseerr", {"url": CLOSED, "api_key": "k-123456"})

    assert "Failed" in page
    assert f"Could not reach Overseerr at {CLOSED}: the connection was refused." in page
    assert Integration.objects.count() == 0


def test_form_test_tries_the_form_not_the_saved_values(admin_client, configured_vault):
    before = Integration.objects.get(service="plex")
    plex = configured_vault.credentials()["plex"]

    page = press_test(admin_client, "plex", {"url": CLOSED, "token": ""})  # blank: saved token

    assert f"Could not reach Plex at {CLOSED}" in page
    after = Integration.objects.get(service="plex")
    assert (after.settings, after.secrets, after.enabled) == (
        before.settings, before.secrets, before.enabled)
    assert integrations.get_config("plex").values["url"] == plex["url"]


def test_form_test_blank_secret_uses_the_saved_one(admin_client, configured_vault):
    tmdb_requests = configured_vault.tmdb.count()

    page = press_test(admin_client, "tmdb", {"api_key": ""})

    assert "Reached TMDB; the API key works" in page
    assert configured_vault.tmdb.count() > tmdb_requests


def test_form_test_empty_form_asks_for_the_required_fields(admin_client):
    page = press_test(admin_client, "radarr", {"url": "", "api_key": ""})

    assert "Fill in URL and API key to test Radarr." in page
    assert Integration.objects.count() == 0


def test_form_test_bad_url_is_not_tried(admin_client):
    page = press_test(admin_client, "plex", {"url": "plex.local", "token": "abc123456"})

    assert "Plex was not tried. Server URL: Enter an http:// or https:// URL" in page


def test_form_test_anonymous_tries_nothing(client, admin_user, doubles, service_settings):
    radarr = doubles.credentials()["radarr"]
    doubles.radarr.clear()

    response = client.post(reverse("vault:test", args=["radarr"]),
                           {"url": radarr["url"], "api_key": radarr["key"]}, **HX)

    assert response["HX-Redirect"].startswith("/login")
    assert doubles.radarr.count() == 0


def test_form_save_empty_form_is_refused_not_saved(admin_client):
    response = admin_client.post(reverse("vault:save", args=["tmdb"]), {"api_key": ""}, **HX)

    page = response.content.decode()
    assert "Saved." not in page
    assert "Fill in API key (v3) to save TMDB." in page
    assert Integration.objects.count() == 0


def test_form_save_turns_the_service_on_without_an_enabled_box(admin_client):
    response = admin_client.post(reverse("vault:save", args=["tmdb"]),
                                 {"api_key": "tmdb-key-xy"}, **HX)  # no "enabled" sent

    page = response.content.decode()
    assert "Saved." in page and '<span class="badge ok">on</span>' in page
    assert 'name="enabled"' in page  # only in the Turn off form, as a hidden value
    assert 'type="checkbox" name="enabled"' not in page
    assert integrations.is_enabled("tmdb")


def test_form_save_keeps_a_saved_secret_out_of_the_page(admin_client, configured_vault):
    key = configured_vault.credentials()["tmdb"]["key"]

    response = admin_client.post(reverse("vault:save", args=["tmdb"]), {"api_key": ""}, **HX)

    page = response.content.decode()
    assert "Saved." in page and key not in page
    assert 'placeholder="•••••••• saved"' in page
    assert integrations.get_config("tmdb").values["api_key"] == key


def test_form_turn_off_disables_and_keeps_the_settings(admin_client, configured_vault):
    response = admin_client.post(reverse("vault:save", args=["google"]), {"enabled": "off"},
                                 **HX)

    page = response.content.decode()
    assert "Turned off: nothing uses it until you save it again." in page
    assert not integrations.is_enabled("google")
    assert integrations.get_config("google").values["cx"] == \
        configured_vault.credentials()["google"]["cx"]
