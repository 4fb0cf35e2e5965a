"""Private rows against the Plex and plex.tv doubles, through the real plexapi: the owner Ava,
three shared viewers (Bea, Cy, Dee) with an Immaculate Taste row each in Movies and TV Shows."""

from __future__ import annotations

import os

os.environ.setdefault("PLEXAPI_CONFIG_PATH", os.devnull)

import pytest  # noqa: E402
from django.utils import timezone  # noqa: E402
from plexapi.server import PlexServer  # noqa: E402

from recommendations.models import ImmaculateTasteTitle  # noqa: E402
from recommendations.rows.section import forget_learned  # noqa: E402
from recommendations.rows.sync import sync_viewer_rows  # noqa: E402
from tests.fakes.catalog import Catalog  # noqa: E402
from tests.fakes.plex.accounts import Account  # noqa: E402
from tests.fakes.plex.plextv import PlexTvDouble  # noqa: E402
from tests.fakes.plex.server import PlexServerDouble  # noqa: E402
from vault import integrations  # noqa: E402
from vault.clients.factory import plex_server  # noqa: E402
from vault.models import PlexLibrary, PlexViewer  # noqa: E402

NEW_ENOUGH = "1.43.2.10687-a1b2c3d4e"
DEE = Account(5, "Dee", "Dee", "dee@example.com", "shared", "Dee's Roku")


@pytest.fixture(scope="module")
def doubles():
    plex = PlexServerDouble(Catalog(n_movies=60, n_shows=12, seed=1717)).start()
    plextv = PlexTvDouble(plex).start()
    yield plex, plextv
    plex.stop()
    plextv.stop()


@pytest.fixture
def stack(doubles, db, settings):
    plex, plextv = doubles
    plex.version = NEW_ENOUGH
    for rk in list(plex.collections):
        plex._delete_collection(rk)
    plex.timeline.clear()
    plex.clear()
    plextv.clear()
    plextv.plex_pass = True
    plextv.accounts = [a for a in plextv.accounts if a.id in (2, 3, 4)] + [DEE]
    plextv.filters = {a.plextv_id: dict.fromkeys(("filterMovies", "filterTelevision",
                                                  "filterMusic"), "") for a in plextv.accounts}
    forget_learned()
    settings.PLEX_TV_URL = plextv.url
    settings.VAULT_HTTP_RETRIES = 0
    integrations.save("plex", True, {"url": plex.url, "token": plex.token})
    viewers = {
        "Ava": PlexViewer.objects.create(account_id=1, name="Ava Owner", is_owner=True,
                                         kind="owner", plextv_id=7184221),
        "Bea": PlexViewer.objects.create(account_id=2, name="Bea", plextv_id=2),
        "Cy": PlexViewer.objects.create(account_id=3, name="Cy", plextv_id=3),
        "Dee": PlexViewer.objects.create(account_id=5, name="Dee", plextv_id=5),
    }
    libraries = {"movie": PlexLibrary.objects.create(key="1", kind="movie", title="Movies"),
                 "show": PlexLibrary.objects.create(key="2", kind="show", title="TV Shows")}
    server = plex_server()
    keys = {kind: [int(el.get("ratingKey")) for el in server.query(
        f"/library/sections/{lib.key}/all", headers={"X-Plex-Container-Size": "500"})]
        for kind, lib in libraries.items()}
    for n, viewer in enumerate(viewers.values()):
        for kind, lib in libraries.items():
            give_rows(viewer, lib, keys[kind][n:n + 1] + keys[kind][8 + n * 2:10 + n * 2])
    return {"plex": plex, "plextv": plextv, "server": server, "viewers": viewers,
            "libraries": libraries, "keys": keys}


def give_rows(viewer, library, rating_keys) -> None:
    now = timezone.now()
    for rk in rating_keys:
        ImmaculateTasteTitle.objects.create(
            viewer=viewer, library=library, media_type=library.kind, tmdb_id=900_000 + rk,
            title=f"Title {rk}", status="active", points=10, rating_key=rk,
            first_suggested_at=now, last_suggested_at=now)


def sync_all(stack, dry_run=False) -> list:
    reports = []
    for viewer in PlexViewer.objects.all():
        for library in stack["libraries"].values():
            reports.append(sync_viewer_rows(stack["server"], viewer, library, dry_run=dry_run,
                                            kinds=("immaculate_taste",)))
    return reports


def home(stack, account_id: int | None) -> list[str]:
    """The collection rows on this account's Home, read with that account's own token."""
    plex, plextv = stack["plex"], stack["plextv"]
    token = plex.token if account_id is None else plextv.account_token(account_id)
    return [hub.title for hub in PlexServer(plex.url, token).library.hubs()]
