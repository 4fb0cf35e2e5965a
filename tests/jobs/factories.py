"""Rows the jobs tests need: viewers and libraries as the vault mirrors them, and Plex."""

from __future__ import annotations

from vault.models import PlexLibrary, PlexViewer


def viewers():
    """The Plex doubles' people: Ava (owner, 1), Bea (2), Cy (3), Kiddo (4, unmonitored)."""
    rows = [PlexViewer.objects.create(account_id=1, name="Ava Owner", is_owner=True,
                                      kind="owner"),
            PlexViewer.objects.create(account_id=2, name="Bea", kind="shared"),
            PlexViewer.objects.create(account_id=3, name="Cy", kind="shared"),
            PlexViewer.objects.create(account_id=4, name="Kiddo", kind="managed",
                                      monitored=False)]
    return {v.name.split()[0].lower(): v for v in rows}


def libraries():
    """The Plex double's sections: 1 Movies, 2 TV Shows, 3 Kids Movies (excluded)."""
    rows = [PlexLibrary.objects.create(key="1", kind="movie", title="Movies"),
            PlexLibrary.objects.create(key="2", kind="show", title="TV Shows"),
            PlexLibrary.objects.create(key="3", kind="movie", title="Kids Movies",
                                       selected=False)]
    return {lib.key: lib for lib in rows}


def connect_plex(plex) -> None:
    from vault import integrations

    integrations.save("plex", True, {"url": plex.url, "token": plex.token})
