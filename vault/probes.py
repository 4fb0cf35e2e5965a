"""The Test button and `vault test`: reach a service with its saved settings and say what
was found (version, server name, counts) or exactly why it failed."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError

from vault import integrations
from vault.clients.errors import NotFoundError, ServiceError, name_of, not_configured
from vault.clients.factory import arr_defaults
from vault.clients.google import GoogleClient
from vault.clients.openai_api import make, model_ids
from vault.clients.overseerr import OverseerrClient
from vault.clients.plex import connect, library_sections
from vault.clients.radarr import RadarrClient
from vault.clients.sonarr import SonarrClient
from vault.clients.tmdb import TmdbClient


@dataclass
class Result:
    service: str
    ok: bool
    message: str
    transient: bool = False


def _plex(v: dict) -> str:
    server = connect(v["url"], v["token"])
    sections = library_sections(server)
    kinds = sum(1 for s in sections if s.get("type") in ("movie", "show"))
    return (f"Reached Plex server “{server.friendlyName}” (version {server.version}): "
            f"{kinds} movie/TV libraries.")


def _tmdb(v: dict) -> str:
    genres = TmdbClient(v["api_key"]).genres("movie")
    return f"Reached TMDB; the API key works ({len(genres)} movie genres)."


def _openai(v: dict) -> str:
    models = model_ids(make(v["api_key"], v["base_url"]))
    host = urlsplit(v["base_url"]).netloc
    if v["model"] not in models:
        offered = ", ".join(models[:8]) or "none"
        raise NotFoundError("openai", f"The OpenAI-compatible server at {host} does not offer "
                                      f"the model “{v['model']}” (it offers: {offered}).")
    return f"Reached the OpenAI-compatible server at {host}: {len(models)} models, " \
           f"“{v['model']}” is available."


def _google(v: dict) -> str:
    answer = GoogleClient(v["api_key"], v["cx"]).search("imdb film", num=1)
    engine = (answer.get("context") or {}).get("title") or v["cx"]
    total = (answer.get("searchInformation") or {}).get("totalResults", "?")
    return f"Reached Google Programmable Search: engine “{engine}” found {total} results."


def _arr(service: str, v: dict) -> str:
    cls = RadarrClient if service == "radarr" else SonarrClient
    client = cls(v["url"], v["api_key"], **arr_defaults(v))
    status = client.status()
    choices = client.choices()
    problem = client.defaults_problem(choices)
    if problem:
        raise NotFoundError(service, problem + " Pick one of its choices in the Vault.")
    return (f"Reached {status.get('appName') or name_of(service)} {status.get('version')}: "
            f"{len(choices.root_folders)} root folders, {len(choices.quality_profiles)} "
            f"quality profiles, {len(choices.tags)} tags.")


def _overseerr(v: dict) -> str:
    client = OverseerrClient(v["url"], v["api_key"])
    version = client.status().get("version", "?")
    me = client.me()
    who = me.get("displayName") or me.get("email") or "its admin"
    return f"Reached Overseerr {version}; the API key acts as {who}."


PROBES = {"plex": _plex, "tmdb": _tmdb, "openai": _openai, "google": _google,
          "radarr": lambda v: _arr("radarr", v), "sonarr": lambda v: _arr("sonarr", v),
          "overseerr": _overseerr}


def run(service: str) -> Result:
    """Test one service with its saved settings (enabled or not). Never raises."""
    try:
        cfg = integrations.get_config(service)
        missing = cfg.missing()
        if missing:
            raise not_configured(service, ", ".join(missing))
        return Result(service, True, PROBES[service](cfg.values))
    except integrations.SecretsUnreadable:
        return Result(service, False, f"{name_of(service)}: {integrations.UNREADABLE}")
    except ServiceError as exc:
        return Result(service, False, str(exc), exc.transient)


def _saved(service: str, given: dict) -> dict:
    """The saved values, decrypted; a secret that no longer decrypts is only a problem when
    the form does not bring a new one."""
    try:
        return integrations.get_config(service).values
    except integrations.SecretsUnreadable as exc:
        if any(not given.get(name) for name in exc.fields):
            raise
        spec = integrations.spec(service)
        return {f.name: f.default for f in spec.fields if not f.secret} | \
            {k: v for k, v in integrations.public_settings(service).items() if v}


def run_form(service: str, data) -> Result:
    """Test what the Vault form holds, saved or not, like the *arr apps' Test button: a field
    the form sends wins (a blank secret means the saved one, a blank setting its default),
    a field it does not send stays as saved. Nothing is stored. Never raises."""
    spec = integrations.spec(service)
    names = [f.name for f in spec.fields]
    try:
        given = integrations.clean_values(service, {n: data[n] for n in names if n in data})
    except ValidationError as exc:
        why = " ".join(f"{spec.field(n).label}: {m}" for n, ms in exc.message_dict.items()
                       for m in ms)
        return Result(service, False, f"{spec.title} was not tried. {why}")
    try:
        values = _saved(service, given)
    except integrations.SecretsUnreadable:
        return Result(service, False, f"{spec.title}: {integrations.UNREADABLE}")
    for f in spec.fields:
        if f.name in given and (given[f.name] not in (None, "") or not f.secret):
            values[f.name] = given[f.name] if given[f.name] not in (None, "") else f.default
    missing = [f.label for f in spec.fields if f.required and values.get(f.name) in (None, "")]
    if missing:
        return Result(service, False, f"Fill in {' and '.join(missing)} to test {spec.title}.")
    try:
        return Result(service, True, PROBES[service](values))
    except ServiceError as exc:
        return Result(service, False, str(exc), exc.transient)
