import io
import sqlite3

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from tests.fixtures_services import vault_values

pytestmark = pytest.mark.django_db(transaction=True)


def vault(*args) -> str:
    out = io.StringIO()
    call_command("vault", *args, stdout=out, stderr=out)
    return out.getvalue()


def all_secrets(doubles) -> list[str]:
    return [v for values in vault_values(doubles).values()
            for k, v in values.items() if k in ("token", "api_key")]


def test_vault_set_then_test_plex_passes(doubles, service_settings):
    c = doubles.credentials()["plex"]
    vault("set", "plex", f"url={c['url']}", f"token={c['token']}")

    out = vault("test", "plex")

    assert out.startswith("plex: ok — Reached Plex server “Immaculaterr Test Server”")


def test_vault_test_failing_service_exits_nonzero(doubles, service_settings):
    vault("set", "plex", f"url={doubles.plex.url}", "token=wrong-token")

    with pytest.raises(CommandError, match="1 of 1 tests failed"):
        vault("test", "plex")


def test_vault_show_masks_every_secret(configured_vault):
    out = vault("show")

    assert "token = set (…en)" in out
    assert not [s for s in all_secrets(configured_vault) if s in out]


def test_vault_set_invalid_url_is_refused(db):
    with pytest.raises(CommandError, match="url: Enter an http:// or https:// URL"):
        vault("set", "radarr", "url=radarr:7878")


def test_vault_rotate_key_keeps_every_service_testable(configured_vault, settings, tmp_path):
    new_key = tmp_path / "new_key"
    new_key.write_text("ab" * 32)

    out = vault("rotate-key", "--new-key-file", str(new_key))
    settings.APP_MASTER_KEY, settings.APP_MASTER_KEY_FILE = "ab" * 32, str(new_key)
    tested = vault("test")

    assert out.startswith("Re-encrypted 7 secrets under key")
    assert tested.count(": ok — ") == 7


def test_vault_rotate_key_old_key_no_longer_opens_secrets(configured_vault, tmp_path):
    new_key = tmp_path / "new_key"
    new_key.write_text("ab" * 32)
    vault("rotate-key", "--new-key-file", str(new_key))

    with pytest.raises(CommandError):
        vault("test", "plex")
    shown = vault("show")

    assert "Secrets cannot be decrypted — restore the key or re-enter them." in shown


def test_vault_rotate_key_malformed_new_key_changes_nothing(configured_vault, tmp_path):
    bad = tmp_path / "bad"
    bad.write_text("nope")

    with pytest.raises(CommandError, match="--new-key-file"):
        vault("rotate-key", "--new-key-file", str(bad))

    assert vault("test", "tmdb").startswith("tmdb: ok")


def test_database_dump_contains_no_secret(configured_vault):
    dump = "\n".join(sqlite3.connect(connection.settings_dict["NAME"]).iterdump()) \
        if connection.vendor == "sqlite" else ""
    fixtures = io.StringIO()
    call_command("dumpdata", "vault", stdout=fixtures)

    assert "vault_integration" in dump or connection.vendor != "sqlite"
    assert not [s for s in all_secrets(configured_vault) if s in dump + fixtures.getvalue()]
