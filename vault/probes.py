"""The Test button and `vault test`: reach a service with its saved settings and say what
was found (version, server name, counts) or exactly why it failed."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

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
