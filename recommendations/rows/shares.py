"""Private rows against plex.tv and the database: the switch, the capability check, the
snapshot of each share's original filters and one sweep of the matrix (recommendations.rows
.private plans it; vault.clients.plextv.ShareFilters reads and writes).

A sweep reads every share once, and writes each account's filters (movie and TV strings
together) at most once, only when they change: a sweep with nothing changed writes nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from recommendations.models import PrivateRows, RowCollection, ShareFilterSnapshot
from recommendations.rows.private import FilterChange, label_for, plan_filters
from vault import integrations
from vault.clients import http
from vault.clients.collections import PlexRows
from vault.clients.errors import ServiceError
from vault.clients.plextv import ShareFilters
from vault.models import PlexLibrary, PlexViewer

HOME_VERSION = (1, 43, 1)  # label restrictions on Home and Recommended
RELATED_VERSION = (1, 43, 2, 10687)  # and on Related rows


def enabled() -> bool:
    return PrivateRows.objects.filter(pk=1, enabled=True).exists()


def connect() -> ShareFilters:
    """The owner's plex.tv account, with the saved Plex token."""
    token = integrations.get_config("plex").values.get("token") or ""
    return ShareFilters(token, http.session("plextv"), http.timeout())


def share_id(viewer) -> int | None:
    """The viewer's plex.tv share (the owner has none)."""
    return None if viewer.is_owner else int(viewer.plextv_id or viewer.account_id)


def private_viewers() -> list:
    return list(PlexViewer.objects.filter(monitored=True, present=True))


@dataclass
class Sweep:
    changes: list[FilterChange] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)  # viewers without a readable share
    writes: int = 0
    requests: int = 0
    errors: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"changes": [c.as_dict() for c in self.changes], "unreadable": self.unreadable,
                "writes": self.writes, "errors": self.errors}


def sweep(client: ShareFilters | None = None, dry_run: bool = False,
          on: bool = True) -> Sweep:
    """Make every share filter what the matrix says (`on`), or free of our entries (off).
    Plex.tv failures are in `errors`; a write that failed leaves that account as it was."""
    result = Sweep()
    try:
        client = client or connect()
        shares = client.shares()
    except ServiceError as exc:
        result.errors.append(f"The shares could not be read from plex.tv: {exc}")
        return result
    viewers = private_viewers()
    result.unreadable = [v.name for v in viewers if not v.is_owner and share_id(v) not in shares]
    private = {v.account_id: share_id(v) for v in viewers} if on else {}
    result.changes = plan_filters(shares, private, enabled=on)
    if not dry_run:
        _write(client, result, on)
    result.requests = client.requests
    return result


def _write(client: ShareFilters, result: Sweep, on: bool) -> None:
    by_share: dict[int, list[FilterChange]] = {}
    for change in result.changes:
        by_share.setdefault(change.share, []).append(change)
        if on:  # the filter as it was before our first change
            ShareFilterSnapshot.objects.get_or_create(
                plextv_id=change.share, media=change.media,
                defaults={"account": change.account, "original": change.before})
    for share, changes in by_share.items():
        try:
            client.write(share, {c.media: c.after for c in changes})
        except ServiceError as exc:
            result.errors.append(f"{changes[0].account}'s share filter could not be "
                                 f"written: {exc}")
            continue
        result.writes += 1
        if not on:
            ShareFilterSnapshot.objects.filter(plextv_id=share).delete()


def turn_on(server, client: ShareFilters | None = None) -> Sweep:
    """Label every stored row with its viewer's label, then merge the exclusions."""
    PrivateRows.objects.update_or_create(pk=1, defaults={"enabled": True})
    label_rows(server)
    return sweep(client)


def turn_off(client: ShareFilters | None = None) -> Sweep:
    """Take our entries out of every share filter: each goes back to what it was."""
    result = sweep(client, on=False)
    if not result.errors:
        ShareFilterSnapshot.objects.all().delete()
        PrivateRows.objects.update_or_create(pk=1, defaults={"enabled": False})
    return result


def label_rows(server) -> int:
    """Label the stored rows not labelled yet (rows made before private rows were on)."""
    done = 0
    libraries = {lib.key: lib for lib in PlexLibrary.objects.all()}
    for row in RowCollection.objects.filter(labelled=False):
        library = libraries.get(str(row.library_key))
        if library is None:
            continue
        PlexRows(server, int(row.library_key), library.kind).label(
            row.rating_key, [label_for(row.account_id)])
        RowCollection.objects.filter(pk=row.pk).update(labelled=True)
        done += 1
    return done


def _version(text: str) -> tuple[int, ...]:
    return tuple(int(n) for n in re.findall(r"\d+", (text or "").split("-", 1)[0])[:4])


def capability(server, client: ShareFilters | None) -> dict:
    """What private rows need and lack, and what each viewer will see."""
    problems, warnings = [], []
    version = getattr(server, "version", "") or ""
    if _version(version) < HOME_VERSION:
        problems.append(f"Your Plex Media Server is version {version or 'unknown'}; Plex "
                        "hides labelled rows on Home and Recommended from 1.43.1. Update it.")
    elif _version(version) < RELATED_VERSION:
        warnings.append(f"Your Plex Media Server is version {version}; until 1.43.2.10687 "
                        "Plex still shows these rows in Related rows.")
    shares = {}
    if client is None:
        problems.append("The Plex account could not be reached on plex.tv.")
    else:
        if not client.plex_pass:
            problems.append("Label restrictions need Plex Pass on the owner's account.")
        try:
            shares = client.shares()
        except ServiceError as exc:
            problems.append(f"The shares could not be read from plex.tv: {exc}")
    viewers = private_viewers()
    others = {v.account_id: v.name for v in viewers}
    sees = []
    for v in viewers:
        rest = sorted(n for a, n in others.items() if a != v.account_id)
        if v.is_owner:
            sees.append(f"{v.name} (the owner) sees every row: Plex never filters the owner.")
        elif share_id(v) not in shares:
            problems.append(f"{v.name}'s share could not be read on plex.tv, so their "
                            "filters cannot be set.")
        else:
            hidden = ", ".join(rest) if rest else "nobody else"
            sees.append(f"{v.name} sees only their own rows; rows of {hidden} are hidden.")
    return {"ok": not problems, "problems": problems, "warnings": warnings, "sees": sees,
            "version": version}
