"""`vault set SERVICE token=-`: the secret comes from a hidden prompt or stdin, never argv."""

from __future__ import annotations

import io
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from vault import integrations
from vault.models import Integration

pytestmark = pytest.mark.django_db


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def vault_set(*args, stdin) -> str:
    out = io.StringIO()
    call_command("vault", "set", *args, stdin=stdin, stdout=out, stderr=out)
    return out.getvalue()


def test_vault_set_dash_reads_the_secret_from_stdin():
    out = vault_set("radarr", "url=http://127.0.0.1:9", "api_key=-", "--disable",
                    stdin=io.StringIO("radarr-secret-from-stdin\nnext line\n"))

    assert integrations.get_config("radarr").values["api_key"] == "radarr-secret-from-stdin"
    assert out == "Saved radarr: api_key, url.\n"


def test_vault_set_dash_on_a_terminal_asks_with_a_hidden_prompt(monkeypatch):
    asked = []
    monkeypatch.setattr("getpass.getpass", lambda prompt: asked.append(prompt) or "typed-key")

    vault_set("tmdb", "api_key=-", "--disable", stdin=Terminal())

    assert asked == ["tmdb api_key (hidden): "]
    assert integrations.get_config("tmdb").values["api_key"] == "typed-key"


def test_vault_set_dash_with_empty_stdin_saves_nothing():
    with pytest.raises(CommandError, match="No value for radarr api_key was given on stdin"):
        vault_set("radarr", "url=http://127.0.0.1:9", "api_key=-", stdin=io.StringIO(""))

    assert Integration.objects.filter(service="radarr").count() == 0


def test_vault_set_dash_is_literal_for_a_field_that_is_not_secret():
    with pytest.raises(CommandError, match="url: "):
        vault_set("radarr", "url=-", "api_key=k", stdin=io.StringIO("ignored\n"))


def test_vault_set_help_explains_the_dash():
    help_text = subprocess.run([sys.executable, "manage.py", "vault", "set", "--help"],
                               capture_output=True, text=True, check=True).stdout

    assert "key=- and the value is read from a hidden prompt" in " ".join(help_text.split())
