"""Row specs, one sync of section 1, and readers of the double's rows and hubs."""

from recommendations.rows.apply import sync_section
from recommendations.rows.plan import RowSpec
from vault.clients.collections import PlexRows

TOKEN = "plex-token"
OWNER, FRIEND = (True, True, False), (False, False, True)
JPEG = b"\xff\xd8\xff\xe0 poster"


def spec(kind, viewer, items, pins=OWNER, poster=JPEG, legacy=False):
    base = {"recently_watched": "Based on your recently watched movie",
            "change_of_taste": "Change of Taste",
            "immaculate_taste": "Inspired by your Immaculate Taste",
            "fresh_out": "Fresh Out Of The Oven"}[kind]
    return RowSpec(kind, f"{base} ({viewer})", base, viewer, tuple(items), pins, poster, legacy)


def sync(server, specs, ledger=None, dry_run=False):
    ledger = {} if ledger is None else ledger
    result = sync_section(PlexRows(server, 1, "movie"), specs, ledger.get, dry_run)
    for _, outcome in result.rows:
        if outcome and outcome.poster_uploaded:
            ledger[outcome.collection] = outcome.poster_uploaded
    return result


def row(plex, title):
    col = plex.collection_by_title(1, title)
    assert col is not None, title
    return col


def hub_of(plex, col):
    return next(h for h in plex.hubs(1) if h["collection"] == col.rating_key)


def flags(hub):
    return hub["promotedToRecommended"], hub["promotedToOwnHome"], hub["promotedToSharedHome"]
