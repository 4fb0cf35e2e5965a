import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from vault import integrations
from vault.models import Integration

pytestmark = pytest.mark.django_db
TOKEN = "plex-token-abcdef1234"


def raw_secrets(service):
    with connection.cursor() as cursor:
        cursor.execute("SELECT secrets FROM vault_integration WHERE service = %s", [service])
        return cursor.fetchone()[0]


def test_save_stores_secret_encrypted_only():
    integrations.save("plex", True, {"url": "http://plex:32400", "token": TOKEN})

    stored = raw_secrets("plex")
    assert TOKEN not in stored
    assert integrations.get_config("plex").values["token"] == TOKEN


def test_save_blank_secret_keeps_the_stored_one():
    integrations.save("plex", True, {"url": "http://plex:32400", "token": TOKEN})

    integrations.save("plex", True, {"url": "http://other:32400", "token": ""})

    values = integrations.get_config("plex").values
    assert (values["url"], values["token"]) == ("http://other:32400", TOKEN)


@pytest.mark.parametrize("url", ["ftp://plex", "plex:32400", "http://", "javascript:alert(1)"])
def test_save_invalid_url_is_refused(url):
    with pytest.raises(ValidationError) as caught:
        integrations.save("plex", False, {"url": url})

    assert caught.value.message_dict == {
        "url": ["Enter an http:// or https:// URL with a host name."]}


def test_save_enabling_without_required_values_is_refused():
    with pytest.raises(ValidationError) as caught:
        integrations.save("radarr", True, {"url": "http://radarr:7878"})

    assert caught.value.message_dict == {
        "enabled": ["Radarr needs API key before it can be enabled."]}


def test_save_unknown_setting_names_the_service_settings():
    with pytest.raises(ValidationError, match="TMDB has no setting 'colour'"):
        integrations.save("tmdb", False, {"colour": "red"})


def test_get_config_unsaved_service_is_disabled_with_defaults():
    cfg = integrations.get_config("openai")

    assert (cfg.enabled, cfg.values["model"], cfg.values["api_key"]) == (
        False, "gpt-4o-mini", "")


def test_get_config_under_another_key_raises_secrets_unreadable(settings):
    integrations.save("tmdb", True, {"api_key": "tmdb-key-123"})
    settings.APP_MASTER_KEY = "22" * 32

    with pytest.raises(integrations.SecretsUnreadable, match="restore the key or re-enter"):
        integrations.get_config("tmdb")


def test_secret_status_shows_last_two_characters_only():
    integrations.save("tmdb", True, {"api_key": "tmdb-key-123"})

    [status] = integrations.secret_status("tmdb")

    assert (status.state, status.text) == ("set", "set (…23)")


def test_secret_status_under_another_key_is_unreadable(settings):
    integrations.save("tmdb", True, {"api_key": "tmdb-key-123"})
    settings.APP_MASTER_KEY = "22" * 32

    [status] = integrations.secret_status("tmdb")

    assert (status.state, integrations.unreadable_services()) == ("unreadable", ["tmdb"])


def test_is_enabled_needs_enabled_and_complete():
    integrations.save("google", False, {"api_key": "g-key", "cx": "engine"})
    before = integrations.is_enabled("google")

    integrations.set_enabled("google", True)

    assert (before, integrations.is_enabled("google")) == (False, True)


def test_rotate_reencrypts_every_secret_under_the_new_key(settings):
    integrations.save("tmdb", True, {"api_key": "tmdb-key-123"})
    integrations.save("plex", True, {"url": "http://plex:32400", "token": TOKEN})
    new = bytes(range(32))

    count = integrations.rotate(new)
    settings.APP_MASTER_KEY = new.hex()

    assert count == 2
    assert integrations.get_config("plex").values["token"] == TOKEN
    assert Integration.objects.count() == 2
