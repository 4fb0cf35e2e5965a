"""Integration settings: what each service needs, reading (secrets decrypted) and saving
(secrets encrypted, write-only). Views, the `vault` command and the clients all go through here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.db import transaction

from vault import crypto
from vault.models import Integration

UNREADABLE = "Secrets cannot be decrypted — restore the key or re-enter them."


class SecretsUnreadable(Exception):
    """The stored secrets were encrypted under another key (or damaged)."""

    def __init__(self, service: str, fields: list[str]):
        self.service, self.fields = service, fields
        super().__init__(f"{UNREADABLE} ({service}: {', '.join(fields)})")


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    kind: str = "text"  # text | url | int | secret
    required: bool = True
    default: str | int | None = None
    help: str = ""

    @property
    def secret(self) -> bool:
        return self.kind == "secret"


@dataclass(frozen=True)
class Service:
    key: str
    title: str
    fields: tuple[Field, ...]
    blurb: str = ""

    def field(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)

    @property
    def secret_names(self) -> list[str]:
        return [f.name for f in self.fields if f.secret]


def _arr(key: str, title: str, port: int, *extra: Field) -> Service:
    return Service(key, title, (
        Field("url", "URL", "url", help=f"e.g. http://{key}:{port}"),
        Field("api_key", "API key", "secret", help="Settings → General → API Key"),
        Field("root_folder", "Root folder", required=False),
        Field("quality_profile", "Quality profile", "int", required=False),
        Field("tag", "Tag", "int", required=False,
              help="Added besides the immaculaterr tags."),
        *extra,
    ), f"Sends missing titles to {title}.")


SERVICES: dict[str, Service] = {s.key: s for s in (
    Service("plex", "Plex", (
        Field("url", "Server URL", "url", help="e.g. http://192.168.1.10:32400"),
        Field("token", "Token", "secret", help="Or use Sign in with Plex."),
    ), "Your Plex Media Server: libraries, viewers, rows."),
    Service("tmdb", "TMDB", (
        Field("api_key", "API key (v3)", "secret"),
    ), "The Movie Database: candidates and metadata."),
    Service("openai", "OpenAI", (
        Field("api_key", "API key", "secret"),
        Field("model", "Model", default="gpt-4o-mini"),
        Field("base_url", "Base URL", "url", default="https://api.openai.com/v1",
              help="Any OpenAI-compatible server, e.g. http://ollama:11434/v1"),
    ), "Optional: curates the final picks."),
    Service("google", "Google", (
        Field("api_key", "API key", "secret"),
        Field("cx", "Search engine ID"),
    ), "Optional: web-discovered titles (Programmable Search)."),
    _arr("radarr", "Radarr", 7878,
         Field("minimum_availability", "Minimum availability", required=False,
               default="released", help="When Radarr considers a movie available.")),
    _arr("sonarr", "Sonarr", 8989,
         Field("series_type", "Series type", required=False, default="standard"),
         Field("season_monitor", "Seasons to monitor", required=False, default="all"),
         Field("language_profile", "Language profile", "int", required=False,
               help="Sonarr v3 only; v4 has none.")),
    Service("overseerr", "Overseerr", (
        Field("url", "URL", "url", help="e.g. http://overseerr:5055"),
        Field("api_key", "API key", "secret"),
    ), "Optional: route requests through Overseerr."),
)}
ALIASES = {"key": "api_key", "apikey": "api_key", "base": "base_url"}


@dataclass
class ServiceConfig:
    service: str
    enabled: bool
    values: dict = field(default_factory=dict)

    def missing(self) -> list[str]:
        spec = SERVICES[self.service]
        return [f.name for f in spec.fields if f.required and self.values.get(f.name) in
                (None, "")]


def spec(service: str) -> Service:
    try:
        return SERVICES[service]
    except KeyError:
        raise ValueError(f"Unknown service {service!r}; choose one of "
                         f"{', '.join(SERVICES)}.") from None


def _row(service: str) -> Integration | None:
    return Integration.objects.filter(service=service).first()


def get_config(service: str) -> ServiceConfig:
    """Settings with decrypted secrets; raises SecretsUnreadable under a wrong key."""
    s = spec(service)
    row = _row(service)
    values = {f.name: f.default for f in s.fields if not f.secret}
    if row is None:
        return ServiceConfig(service, False, values | dict.fromkeys(s.secret_names, ""))
    values.update({k: v for k, v in row.settings.items() if v not in (None, "")})
    unreadable = []
    for name in s.secret_names:
        token = row.secrets.get(name)
        try:
            values[name] = crypto.decrypt(token, service, name) if token else ""
        except crypto.DecryptError:
            unreadable.append(name)
    if unreadable:
        raise SecretsUnreadable(service, unreadable)
    return ServiceConfig(service, row.enabled, values)


def is_enabled(service: str) -> bool:
    """Enabled with every required value present (secrets are not decrypted here)."""
    row = _row(service)
    if row is None or not row.enabled:
        return False
    s = spec(service)
    return all((row.secrets if f.secret else row.settings).get(f.name) not in (None, "")
               or (f.default and not f.secret) for f in s.fields if f.required)


def validate_url(value: str) -> str:
    value = value.strip().rstrip("/")
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValidationError("Enter an http:// or https:// URL with a host name.")
    return value


def clean_values(service: str, values: dict) -> dict:
    """Normalised values, or ValidationError({field: [messages]})."""
    s = spec(service)
    names = {f.name for f in s.fields}
    errors, cleaned = {}, {}
    for raw_name, raw in values.items():
        name = ALIASES.get(raw_name, raw_name)
        if name not in names:
            errors[raw_name] = [f"{s.title} has no setting {raw_name!r} "
                                f"(it has {', '.join(sorted(names))})."]
            continue
        f = s.field(name)
        text = "" if raw is None else str(raw).strip()
        try:
            if text and f.kind == "url":
                text = validate_url(text)
            if f.kind == "int":
                cleaned[name] = int(text) if text else None
                continue
        except ValueError:
            errors[name] = ["Enter a whole number."]
            continue
        except ValidationError as exc:
            errors[name] = exc.messages
            continue
        cleaned[name] = text
    if errors:
        raise ValidationError(errors)
    return cleaned


@transaction.atomic
def save(service: str, enabled: bool | None, values: dict) -> Integration:
    """Store values; a blank secret keeps the stored one. `enabled=None` leaves it as is."""
    s = spec(service)
    cleaned = clean_values(service, values)
    row, _ = Integration.objects.select_for_update().get_or_create(service=service)
    for name, value in cleaned.items():
        if s.field(name).secret:
            if value:
                row.secrets[name] = crypto.encrypt(value, service, name)
        elif value in (None, ""):
            row.settings.pop(name, None)
        else:
            row.settings[name] = value
    if enabled is not None:
        row.enabled = enabled
    if row.enabled:
        _require_complete(s, row)
    row.save()
    return row


def _require_complete(s: Service, row: Integration) -> None:
    missing = [f.label for f in s.fields if f.required and not f.default
               and (row.secrets if f.secret else row.settings).get(f.name) in (None, "")]
    if missing:
        raise ValidationError({"enabled": [f"{s.title} needs {', '.join(missing)} "
                                           f"before it can be enabled."]})


def set_enabled(service: str, enabled: bool) -> Integration:
    return save(service, enabled, {})


@dataclass
class SecretStatus:
    name: str
    label: str
    state: str  # "set" | "unset" | "unreadable"
    hint: str = ""  # the last two characters when set

    @property
    def text(self) -> str:
        if self.state == "set":
            return f"set (…{self.hint})"
        return "cannot be decrypted" if self.state == "unreadable" else "not set"


def secret_status(service: str, row: Integration | None = None) -> list[SecretStatus]:
    """What the UI and `vault show` may reveal about secrets: set or not, last two chars."""
    s = spec(service)
    row = row if row is not None else _row(service)
    found = []
    for f in s.fields:
        if not f.secret:
            continue
        token = row.secrets.get(f.name) if row else None
        if not token:
            found.append(SecretStatus(f.name, f.label, "unset"))
            continue
        try:
            plain = crypto.decrypt(token, service, f.name)
        except crypto.DecryptError:
            found.append(SecretStatus(f.name, f.label, "unreadable"))
            continue
        found.append(SecretStatus(f.name, f.label, "set", plain[-2:] if len(plain) > 6 else ""))
    return found


def public_settings(service: str, row: Integration | None = None) -> dict:
    s = spec(service)
    row = row if row is not None else _row(service)
    stored = row.settings if row else {}
    return {f.name: stored.get(f.name, f.default) for f in s.fields if not f.secret}


def unreadable_services() -> list[str]:
    return [row.service for row in Integration.objects.all()
            if any(st.state == "unreadable" for st in secret_status(row.service, row))]


@transaction.atomic
def rotate(new_key: bytes) -> int:
    """Re-encrypt every secret under `new_key` in one transaction; returns how many.

    Raises SecretsUnreadable (and changes nothing) if any secret does not decrypt now."""
    old_key = crypto.master_key()
    rows = list(Integration.objects.select_for_update().order_by("id"))
    count = 0
    for row in rows:
        fresh = {}
        for name, token in row.secrets.items():
            try:
                plain = crypto.decrypt(token, row.service, name, key=old_key)
            except crypto.DecryptError:
                raise SecretsUnreadable(row.service, [name]) from None
            fresh[name] = crypto.encrypt(plain, row.service, name, key=new_key)
            count += 1
        row.secrets = fresh
        row.save(update_fields=["secrets"])
    return count
