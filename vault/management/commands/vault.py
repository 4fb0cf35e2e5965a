"""`python manage.py vault show | set | test | rotate-key` — the Vault from the command line."""

from __future__ import annotations

import getpass
import sys
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.management.base import BaseCommand, CommandError

from vault import crypto, integrations, probes
from vault.mirror import reader
from vault.models import Integration

SET_HELP = ("Save settings for one service as key=value pairs. For a secret (token, api_key) "
            "write key=- and the value is read from a hidden prompt, or from one line of stdin "
            "when stdin is not a terminal: printf '%s\\n' \"$TOKEN\" | manage.py vault set "
            "plex token=-. Secrets typed on the command line stay in shell history.")


class Command(BaseCommand):
    help = ("Show, set and test integration settings (secrets stay masked), and re-encrypt "
            "every secret under a new master key. Give a secret as key=- (vault set plex "
            "token=-) to type it at a hidden prompt, or pipe it in as one line on stdin, so it "
            "stays out of shell history and the process list.")
    stealth_options = ("stdin",)  # tests hand in their own stdin

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("show", help="Every service, its settings and masked secrets.")
        setter = sub.add_parser("set", help="Save settings: vault set plex url=… token=-",
                                description=SET_HELP)
        setter.add_argument("service", choices=list(integrations.SERVICES))
        setter.add_argument("pairs", nargs="+", metavar="key=value",
                            help="A secret given as key=- is read from a hidden prompt (or "
                                 "one line of stdin when it is not a terminal).")
        state = setter.add_mutually_exclusive_group()
        state.add_argument("--disable", action="store_true", help="Save it disabled.")
        state.add_argument("--keep-state", action="store_true",
                           help="Leave enabled/disabled as it is (default: enable).")
        tester = sub.add_parser("test", help="Reach each enabled service (or the one named).")
        tester.add_argument("service", nargs="?", choices=list(integrations.SERVICES))
        rotate = sub.add_parser("rotate-key", help="Re-encrypt every secret under a new key.")
        rotate.add_argument("--new-key-file", required=True, type=Path)

    def handle(self, *args, action, **options):
        handler = {"show": self.show, "set": self.set_values, "test": self.test,
                   "rotate-key": self.rotate}[action]
        handler(**options)

    def show(self, **options):
        for service, spec in integrations.SERVICES.items():
            row = Integration.objects.filter(service=service).first()
            state = "enabled" if row and row.enabled else "disabled"
            self.stdout.write(f"{service} ({spec.title}): {state}")
            for name, value in integrations.public_settings(service, row).items():
                self.stdout.write(f"  {name} = {'' if value is None else value}")
            for status in integrations.secret_status(service, row):
                self.stdout.write(f"  {status.name} = {status.text}")
        if integrations.unreadable_services():
            self.stderr.write(integrations.UNREADABLE)

    def set_values(self, service, pairs, disable=False, keep_state=False, stdin=None,
                   **options):
        secrets = integrations.spec(service).secret_names
        values = {}
        for pair in pairs:
            key, sep, value = pair.partition("=")
            if not sep or not key:
                raise CommandError(f"Expected key=value, got {pair!r}.")
            key = key.strip()
            if value == "-" and key in secrets:
                value = _read_secret(service, key, stdin or sys.stdin)
            values[key] = value
        enabled = None if keep_state else not disable
        try:
            integrations.save(service, enabled, values)
        except ValidationError as exc:
            raise CommandError(" ".join(_messages(exc))) from None
        self.stdout.write(f"Saved {service}: {', '.join(sorted(values))}.")
        if service == "plex" and integrations.is_enabled("plex"):
            self.stdout.write(reader.read_structure_after_save())

    def test(self, service=None, **options):
        services = [service] if service else [s for s in integrations.SERVICES
                                               if integrations.is_enabled(s)]
        if not services:
            raise CommandError("No service is enabled; set one with: vault set SERVICE …")
        failed = 0
        for name in services:
            result = probes.run(name)
            mark = "ok" if result.ok else "FAILED"
            self.stdout.write(f"{name}: {mark} — {result.message}")
            failed += not result.ok
        if failed:
            raise CommandError(f"{failed} of {len(services)} tests failed.")

    def rotate(self, new_key_file: Path, **options):
        try:
            new_key = crypto.read_key_file(new_key_file, "--new-key-file")
        except ImproperlyConfigured as exc:
            raise CommandError(str(exc)) from None
        if crypto.key_id(new_key) == crypto.key_id(crypto.master_key()):
            raise CommandError("The new key is the key already in use.")
        try:
            count = integrations.rotate(new_key)
        except integrations.SecretsUnreadable as exc:
            raise CommandError(f"{exc} Nothing was changed.") from None
        self.stdout.write(
            f"Re-encrypted {count} secrets under key {crypto.key_id(new_key)}. Now start "
            f"Immaculaterr with APP_MASTER_KEY_FILE={new_key_file} (or APP_MASTER_KEY set to "
            f"its contents); the old key no longer opens them.")


def _read_secret(service: str, key: str, stdin) -> str:
    """A hidden prompt on a terminal, else one line of stdin (a pipe or a file)."""
    if stdin.isatty():
        value = getpass.getpass(f"{service} {key} (hidden): ")
    else:
        value = stdin.readline().rstrip("\r\n")
    if not value.strip():
        raise CommandError(f"No value for {service} {key} was given on stdin; nothing was saved.")
    return value


def _messages(exc: ValidationError) -> list[str]:
    if hasattr(exc, "message_dict"):
        return [f"{field}: {m}" for field, msgs in exc.message_dict.items() for m in msgs]
    return exc.messages
