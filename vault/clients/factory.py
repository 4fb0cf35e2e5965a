"""Ready-to-use clients built from the Vault. Each raises NotConfigured when its service is
disabled or incomplete, and SecretsUnreadable (vault.integrations) under a wrong key."""

from __future__ import annotations

from vault import integrations
from vault.clients.errors import not_configured


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
    from vault.clients.plex import connect

    values = _config("plex")
    return connect(values["url"], values["token"])


def tmdb():
    from vault.clients.tmdb import TmdbClient

    return TmdbClient(_config("tmdb")["api_key"])


def openai_client():
    """(openai.OpenAI pointed at the saved base URL, the model name)."""
    from vault.clients.openai_api import make

    values = _config("openai")
    return make(values["api_key"], values["base_url"]), values["model"]


def google():
    from vault.clients.google import GoogleClient

    values = _config("google")
    return GoogleClient(values["api_key"], values["cx"])


def _arr_defaults(values: dict) -> dict:
    return {"root_folder": values.get("root_folder") or "",
            "quality_profile": values.get("quality_profile"), "tag": values.get("tag")}


def radarr():
    from vault.clients.radarr import RadarrClient

    values = _config("radarr")
    return RadarrClient(values["url"], values["api_key"], **_arr_defaults(values))


def sonarr():
    from vault.clients.sonarr import SonarrClient

    values = _config("sonarr")
    return SonarrClient(values["url"], values["api_key"], **_arr_defaults(values))


def overseerr():
    from vault.clients.overseerr import OverseerrClient

    values = _config("overseerr")
    return OverseerrClient(values["url"], values["api_key"])


BUILDERS = {"plex": plex_server, "tmdb": tmdb, "openai": openai_client, "google": google,
            "radarr": radarr, "sonarr": sonarr, "overseerr": overseerr}
