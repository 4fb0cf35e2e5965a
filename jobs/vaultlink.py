"""The one place where the jobs app reads the vault: viewers, libraries, Plex.

Triggers and job bodies go through these helpers, so the vault's shapes matter here only.
"""

from __future__ import annotations

from vault import integrations
from vault.clients import factory
from vault.models import PlexLibrary, PlexViewer

KIND_OF_MEDIA = {"movie": "movie", "tv": "show"}
MEDIA_OF_KIND = {"movie": "movie", "show": "tv"}


def plex_enabled() -> bool:
    return integrations.is_enabled("plex")


def plex_server():
    return factory.plex_server()


def viewer(account_id: int | None):
    if account_id is None:
        return None
    return PlexViewer.objects.filter(account_id=account_id).first()


def find_viewer(name_or_id: str):
    text = str(name_or_id).strip()
    if text.isdigit():
        found = PlexViewer.objects.filter(account_id=int(text)).first()
        if found:
            return found
    return PlexViewer.objects.filter(name__iexact=text).first()


def library(key: str | int | None):
    if key in (None, ""):
        return None
    return PlexLibrary.objects.filter(key=str(key)).first()


def selected_libraries(media_type: str = ""):
    # libraries removed from Plex stay in the mirror (shown as removed) but are never swept
    libraries = PlexLibrary.objects.filter(selected=True, present=True).order_by("title")
    if media_type:
        libraries = libraries.filter(kind=KIND_OF_MEDIA[media_type])
    return list(libraries)


def monitored_viewers() -> list:
    """Deterministic order, owner last (the sweep order of standalone refreshers); viewers
    who left the server are not swept."""
    viewers = list(PlexViewer.objects.filter(monitored=True, present=True))
    return sorted(viewers, key=lambda v: (bool(v.is_owner), (v.name or "").lower(), v.account_id))


def all_viewers() -> list:
    return sorted(PlexViewer.objects.all(),
                  key=lambda v: (bool(v.is_owner), (v.name or "").lower(), v.account_id))


def all_libraries() -> list:
    return list(PlexLibrary.objects.order_by("title"))


def media_type_of(library_obj) -> str:
    return MEDIA_OF_KIND.get(getattr(library_obj, "kind", ""), "")
