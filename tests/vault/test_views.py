import logging

import pytest
from django.urls import reverse

from tests.fixtures_services import vault_values
from vault import integrations
from vault.models import Integration

pytestmark = pytest.mark.django_db
HX = {"HTTP_HX_REQUEST": "true"}


def secrets_of(doubles):
    return [v for values in vault_values(doubles).values()
            for k, v in values.items() if k in ("token", "api_key")]


def test_vault_index_anonymous_is_sent_to_login(client, admin_user):
    response = client.get(reverse("vault:index"))

    assert (response.status_code, response["Location"]) == (302, "/login?next=%2Fvault")


def test_vault_index_owner_sees_a_card_per_service_and_no_secret(admin_client,
                                                                 configured_vault):
    response = admin_client.get(reverse("vault:index"))

    page = response.content.decode()
    assert [s for s in integrations.SERVICES if f'id="{s}"' in page] == list(
        integrations.SERVICES)
    assert "Currently set (…en)" in page
    assert not [s for s in secrets_of(configured_vault) if s in page]


def test_vault_save_htmx_stores_secret_and_shows_last_two(admin_client):
    response = admin_client.post(reverse("vault:save", args=["tmdb"]),
                                  {"enabled": "on", "api_key": "tmdb-key-xy"}, **HX)

    page = response.content.decode()
    assert "Currently set (…xy)" in page and "tmdb-key-xy" not in page
    assert integrations.get_config("tmdb").values["api_key"] == "tmdb-key-xy"


def test_vault_save_blank_secret_keeps_stored(admin_client):
    integrations.save("tmdb", True, {"api_key": "tmdb-key-xy"})

    admin_client.post(reverse("vault:save", args=["tmdb"]), {"enabled": "on", "api_key": ""},
                      **HX)

    assert integrations.get_config("tmdb").values["api_key"] == "tmdb-key-xy"


def test_vault_save_invalid_url_shows_error_and_saves_nothing(admin_client):
    response = admin_client.post(reverse("vault:save", args=["plex"]),
                                 {"url": "plex.local", "token": "t0ken"}, **HX)

    assert "Enter an http:// or https:// URL with a host name." in response.content.decode()
    assert integrations.get_config("plex").values["url"] is None


def test_vault_save_anonymous_changes_nothing(client, admin_user):
    response = client.post(reverse("vault:save", args=["tmdb"]), {"api_key": "x1"}, **HX)

    assert response["HX-Redirect"].startswith("/login")
    assert integrations.get_config("tmdb").values["api_key"] == ""


def test_vault_test_button_shows_what_was_reached(admin_client, configured_vault):
    response = admin_client.post(reverse("vault:test", args=["radarr"]), **HX)

    assert "Reached Radarr" in response.content.decode()


def test_vault_test_button_shows_failure_sentence(admin_client, configured_vault):
    configured_vault.plex.fault(status=401, count=None)

    response = admin_client.post(reverse("vault:test", args=["plex"]), **HX)

    assert "Plex refused the token (401). Check the token in the Vault." in \
        response.content.decode()


def test_vault_index_wrong_key_shows_unreadable_state(admin_client, configured_vault,
                                                      settings):
    settings.APP_MASTER_KEY = "33" * 32

    response = admin_client.get(reverse("vault:index"))
    tested = admin_client.post(reverse("vault:test", args=["tmdb"]), **HX)

    assert "Secrets cannot be decrypted — restore the key or re-enter them." in \
        response.content.decode()
    assert "restore the key or re-enter them" in tested.content.decode()


def test_vault_arr_choices_lists_service_profiles(admin_client, configured_vault):
    response = admin_client.get(reverse("vault:arr_choices", args=["radarr"]), **HX)

    page = response.content.decode()
    root = configured_vault.credentials()["radarr"]["root_folder"]
    assert "HD-1080p" in page and f'<option value="{root}" selected>' in page


def test_vault_no_secret_in_logs_or_admin(admin_client, configured_vault, caplog):
    caplog.set_level(logging.DEBUG)
    configured_vault.tmdb.fault(status=500, count=None)
    admin_client.post(reverse("vault:test", args=["tmdb"]), **HX)
    admin_client.post(reverse("vault:test", args=["plex"]), **HX)

    pages = [admin_client.get(reverse("admin:vault_integration_changelist")),
             admin_client.get(reverse("admin:vault_integration_change",
                                      args=[Integration.objects.get(service="plex").pk]))]
    assert [p.status_code for p in pages] == [200, 200]

    text = caplog.text + "".join(p.content.decode() for p in pages)
    assert "tmdb" in text and "token set" in text
    assert not [s for s in secrets_of(configured_vault) if s in text]


def test_vault_save_without_htmx_bad_input_rerenders_the_page_with_errors(admin_client):
    """Issue 9 item 19: a plain POST (no JavaScript) keeps the form errors and the input."""
    response = admin_client.post(reverse("vault:save", args=["plex"]),
                                 {"url": "plex.local", "token": "t0ken"})

    assert response.status_code == 200  # not a redirect that loses the errors
    page = response.content.decode()
    assert "<html" in page and 'id="tmdb"' in page  # the whole Vault page, every card
    assert "Enter an http:// or https:// URL with a host name." in page
    assert 'value="plex.local"' in page
    assert "t0ken" not in page  # a secret is never echoed back
    assert integrations.get_config("plex").values["url"] is None


def test_vault_save_without_htmx_valid_input_redirects_to_the_card(admin_client):
    response = admin_client.post(reverse("vault:save", args=["tmdb"]),
                                 {"enabled": "on", "api_key": "tmdb-key-xy"})

    assert (response.status_code, response["Location"]) == (302, "/vault#tmdb")
    assert integrations.get_config("tmdb").values["api_key"] == "tmdb-key-xy"
