"""Ready-to-use clients built from the Vault. Each raises NotConfigured when its service is
disabled or incomplete, and SecretsUnreadable (vault.integrations) under a wrong key."""

from __future__ import annotations

from vault import integrations
from vault.clients.errors import not_configured
from vault.clients.google import GoogleClient
from vault.clients.openai_api import make
from vault.clients.overseerr import OverseerrClient
from vault.clients.plex import connect
from vault.clients.radarr import RadarrClient
from vault.clients.sonarr import SonarrClient
from vault.clients.tmdb import TmdbClient


def _config(service: str) -> dict:
    cfg = integrations.get_config(service)
    if not cfg.enabled:
        raise not_configured(service)
    missing = cfg.missing()
    if missing:
        raise not_configured(service, ", ".join(missing))
    return cfg.values


def plex_server():
    """plexapi.server.PlexServer for the saved URL and token (costs one request)."""
    values = _config("plex")
    return connect(values["url"], values["token"])


def tmdb():
    return TmdbClient(_config("tmdb")["api_key"])


def openai_client():
    """(openai.OpenAI pointed at the saved base URL, the model name)."""
    values = _config("openai")
    return make(values["api_key"], values["base_url"]), values["model"]


def google():
    values = _config("google")
    return GoogleClient(values["api_key"], values["cx"])


def arr_defaults(values: dict) -> dict:
    """The saved Radarr/Sonarr defaults as client keyword arguments (probes and the choices
    view build their own client from unsaved or disabled settings)."""
    defaults = {"root_folder": values.get("root_folder") or "",
                "quality_profile": values.get("quality_profile"), "tag": values.get("tag")}
    extra = {name: values[name] for name in EXTRA_DEFAULTS if values.get(name) not in (None, "")}
    return defaults | extra


# Service-specific add defaults, kept on the client as `client.defaults`.
EXTRA_DEFAULTS = ("minimum_availability", "series_type", "season_monitor", "language_profile")


def radarr():
    values = _config("radarr")
    return RadarrClient(values["url"], values["api_key"], **arr_defaults(values))


def sonarr():
    values = _config("sonarr")
    return SonarrClient(values["url"], values["api_key"], **arr_defaults(values))


def overseerr():
    values = _config("overseerr")
    return OverseerrClient(values["url"], values["api_key"])


BUILDERS = {"plex": plex_server, "tmdb": tmdb, "openai": openai_client, "google": google,
            "radarr": radarr, "sonarr": sonarr, "overseerr": overseerr}
