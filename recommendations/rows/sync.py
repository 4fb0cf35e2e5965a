"""A viewer's rows in one Plex library: built from the datasets, synced by a plan.

    desired_rows(viewer, library)                  -> [DesiredRow]   (no Plex request)
    sync_viewer_rows(server, viewer, library, dry_run=False) -> RowsReport

A sync reads the section's collections and hubs once, each matched row's items once, then
applies each row's cheaper plan (recommendations.rows.apply) and puts the rows' hubs in the fixed
order. A dry run stops after planning: the report is the diff, and nothing is written.

Each row is the collection it was last synced to (data.row_collections, by viewer account id,
library and kind), so two viewers of one display name get two collections and a renamed viewer
keeps theirs (renamed in place). With private rows on (rows.shares), a new row is created
unpromoted and labelled with its viewer's label, the exclusions are merged into the other
accounts' share filters, and only then is it promoted.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date

from recommendations.models import RowCollection
from recommendations.rows import data, shares
from recommendations.rows.apply import sync_section
from recommendations.rows.art import row_art
from recommendations.rows.plan import RowSpec
from recommendations.rows.private import label_for
from recommendations.rows.section import error_dict
from recommendations.types import KINDS
from vault.clients.collections import PlexRows
from vault.clients.errors import ServiceError
from vault.models import PlexViewer

OWNER_PINS = (True, True, False)  # Library Recommended + Home: every admin row (PRODUCT.md)
FRIEND_PINS = (False, False, True)  # Friends' Home


@dataclass
class DesiredRow:
    kind: str
    title: str
    base: str
    rating_keys: list[int]
    pins: tuple[bool, bool, bool]


def row_base(kind: str, media: str) -> str:
    noun = "show" if media == "show" else "movie"
    return {
        "recently_watched": f"Based on your recently watched {noun}",
        "change_of_taste": "Change of Taste",
        "immaculate_taste": "Inspired by your Immaculate Taste",
        "fresh_out": "Fresh Out Of The Oven",
    }[kind]


def pins_for(viewer, kind: str) -> tuple[bool, bool, bool]:
    """Where a row is pinned: by the viewer's role only, the same for every kind of row."""
    return OWNER_PINS if viewer.is_owner else FRIEND_PINS


def desired_rows(viewer, library, server=None, today: date | None = None, *, kinds=KINDS,
                 overlay=None, fresh=None) -> list[DesiredRow]:
    """The rows this viewer should see in this library, in hub order (only `kinds`). Fresh Out
    needs the viewer's watch history, so it is only built when a server is given. `overlay`: a
    DatasetPlan not applied yet, the rows shown as if it were."""
    media = library.kind
    today = today or date.today()
    rows = []
    for kind in (k for k in KINDS if k in kinds):
        if kind == "fresh_out" and server is None:
            continue
        keys = data.row_keys(kind, viewer, library, server, today,
                             rng_seed=_daily_seed(viewer, library, kind, today),
                             overlay=overlay, fresh=fresh)
        base = row_base(kind, media)
        rows.append(DesiredRow(kind, f"{base} ({viewer.name})", base, keys,
                               pins_for(viewer, kind)))
    return rows


def _daily_seed(viewer, library, kind: str, today: date) -> int:
    """The shuffle changes once a day (the refreshers' rhythm), so syncs between keep the order
    and write nothing."""
    text = f"{viewer.account_id}:{library.key}:{kind}:{today.isoformat()}"
    return int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "big")


@dataclass
class RowsReport:
    viewer: str
    library: str
    dry_run: bool
    skipped: str = ""  # machine-readable reason, when nothing was done
    message: str = ""
    rows: list[dict] = field(default_factory=list)
    hub_order: list[dict] = field(default_factory=list)
    share_filters: list[dict] = field(default_factory=list)  # private rows: before -> after
    requests: int = 0
    writes: int = 0
    errors: list[dict] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def as_dict(self) -> dict:
        return {**self.__dict__, "ok": self.ok}


def sync_viewer_rows(server, viewer, library, dry_run: bool = False,
                     today: date | None = None, *, kinds=KINDS, overlay=None,
                     sections=None, fresh=None, verify: bool = True) -> RowsReport:
    """Make this viewer's rows in this library (those of `kinds`) what the datasets say, as if
    `overlay` (a DatasetPlan) were applied (or, on a dry run, say what that would change).
    Never raises for Plex failures: they are in `report.errors`. Opens no transaction: the
    poster ledger is written row by row as Plex accepts each one. `sections`: a sweep's
    section.SectionStates, so its viewers share one read of the section. `fresh`: Fresh Out's
    rating keys, when the caller has just read them (see desired_rows). `verify`: read every
    row that is to be kept (and repair it); False lets a row whose order was read back whole
    lately and still holds that many items be kept unread (data.trusted): what scheduled and
    Plex-triggered runs do, so a sweep when nothing changed reads almost nothing."""
    report = RowsReport(viewer.name, library.title, dry_run)
    if not library.selected:
        return _skip(report, "library_excluded", f"{library.title} is excluded in the "
                                                 "library selection.")
    plex = PlexRows(server, int(library.key), library.kind)
    if not viewer.monitored:
        if not dry_run and RowCollection.objects.filter(account_id=viewer.account_id,
                                                        library_key=int(library.key)).exists():
            report.errors += remove_rows(plex, library, [viewer.account_id])
            if shares.enabled():  # their label leaves the matrix; their share excludes all
                swept = shares.sweep()
                report.share_filters = swept.as_dict()["changes"]
                report.errors += [{"row": "private rows", "service": "plextv", "reason": e}
                                  for e in swept.errors]
        return _skip(report, "viewer_not_monitored", f"{viewer.name} is not monitored.")
    stored = data.row_collections(library, viewer.account_id)
    private = shares.enabled()
    try:
        foreign = data.foreign_rows(library, viewer.account_id)
        rows = desired_rows(viewer, library, server, today, kinds=kinds, overlay=overlay,
                            fresh=fresh)
        specs = [_spec(row, viewer, stored, foreign, private, not verify) for row in rows]
        hold = _before_promote(plex, report) if private and not dry_run else None
        posters = data.known_posters(s.collection for s in specs)
        result = sync_section(plex, specs, posters, dry_run, before_promote=hold,
                              states=sections)
        if private and dry_run:
            report.share_filters = shares.sweep(dry_run=True).as_dict()["changes"]
    except ServiceError as exc:
        report.errors.append({"row": "", **error_dict(exc)})
        if sections is not None:
            sections.drop(plex)
    else:
        if result.held_error:
            report.errors.append({"row": "private rows", **result.held_error})
        for plan, outcome in result.rows:
            entry = plan.as_dict(data.item_names(library, plan))
            if not dry_run:
                rk = outcome.collection if outcome is not None else plan.collection
                order, confirmed = _left(plan, outcome)
                known = stored.get((viewer.account_id, plan.spec.kind))
                data.remember_row(viewer, library, plan.spec.kind, rk, plan.title,
                                  rk in result.labelled or _label(plex, rk, plan, known, report),
                                  order=order, confirmed=confirmed, known=known)
            if outcome is not None:
                data.remember(outcome, plan, int(library.key))
                entry.update(_outcome_fields(outcome))
                if outcome.error:
                    report.errors.append({"row": plan.title, **outcome.error})
            report.rows.append(_with_job_fields(entry))
        report.hub_order = [{"hub": h, "after": a} for h, a in result.hub_moves]
        if result.hub_error:
            report.errors.append({"row": "hub order", **result.hub_error})
    report.requests, report.writes = plex.requests, plex.writes
    return report


def _skip(report: RowsReport, reason: str, message: str) -> RowsReport:
    report.skipped, report.message = reason, message
    return report


def _spec(row: DesiredRow, viewer, stored: dict, foreign: frozenset[int], private: bool,
          trust: bool) -> RowSpec:
    poster = row_art(row.kind, viewer.name) if row.rating_keys else None
    mine = stored.get((viewer.account_id, row.kind))
    return RowSpec(row.kind, row.title, row.base, viewer.name, tuple(row.rating_keys),
                   row.pins, poster, legacy=bool(viewer.is_owner),
                   collection=mine.rating_key if mine else None, foreign=foreign,
                   label=label_for(viewer.account_id) if private else None,
                   written=data.order_of(mine), trusted=trust and data.trusted(mine))


def _left(plan, outcome) -> tuple[list[int] | None, bool | None]:
    """The row's items as this sync left them in Plex (None when not known for sure), and
    whether a whole read showed them (None: not read now, the ledger's word stands)."""
    read = True if plan.read else None
    if outcome is None:  # nothing to change: the row is as read (or as the ledger trusts)
        return plan.current, read
    if not outcome.ok or outcome.verified is False:
        return None, False
    if outcome.verified is None:  # pins, poster or title only: the items are as before
        return plan.current, read
    missing = set(outcome.missing)
    return [k for k in plan.desired if k not in missing], outcome.verify == "full"


def _label(plex: PlexRows, rk: int | None, plan, known, report: RowsReport) -> bool:
    """Private rows: label a row found unlabelled (one made before the switch was on); True
    when it is labelled now."""
    label = plan.spec.label
    if not (rk and label):
        return False
    if known and known.rating_key == rk and known.labelled:
        return True
    try:
        plex.label(rk, [label])
    except ServiceError as exc:
        report.errors.append({"row": plan.title, **error_dict(exc)})
        return False
    return True


def _before_promote(plex: PlexRows, report: RowsReport):
    """Private rows: label the held rows not labelled yet, then merge the exclusions; the rows
    are promoted only when both worked (apply.sync_section)."""
    def run(state) -> dict | None:
        labelled = set(RowCollection.objects.filter(labelled=True).values_list("rating_key",
                                                                               flat=True))
        try:
            for rk, spec in state.held:
                if spec.label and rk not in state.labelled and rk not in labelled:
                    plex.label(rk, [spec.label])
                    state.labelled.add(rk)
        except ServiceError as exc:
            return error_dict(exc)
        swept = shares.sweep()
        report.share_filters = swept.as_dict()["changes"]
        if swept.errors or swept.unreadable:
            reason = " ".join(swept.errors) or ("The share of " + ", ".join(swept.unreadable)
                                                + " could not be read on plex.tv.")
            return {"service": "plextv", "step": "share filters", "reason": reason,
                    "status": None, "transient": True}
        return None
    return run


def remove_rows(plex: PlexRows, library, accounts: list[int]) -> list[dict]:
    """Delete these accounts' rows in this library (an unmonitored or departed viewer's)."""
    errors = []
    for row in RowCollection.objects.filter(library_key=int(library.key),
                                            account_id__in=accounts):
        try:
            plex.delete(row.rating_key)
        except ServiceError as exc:
            if exc.status != 404:  # already gone is what we wanted
                errors.append({"row": row.title, **error_dict(exc)})
                continue
        row.delete()
    return errors


def remove_departed_rows(server, library) -> list[dict]:
    """Rows of viewers who are no longer monitored or no longer on the server."""
    kept = set(PlexViewer.objects.filter(monitored=True, present=True)
               .values_list("account_id", flat=True))
    gone = set(RowCollection.objects.filter(library_key=int(library.key))
               .exclude(account_id__in=kept).values_list("account_id", flat=True))
    if not gone:
        return []
    return remove_rows(PlexRows(server, int(library.key), library.kind), library, sorted(gone))


def _outcome_fields(outcome) -> dict:
    return {"action": outcome.path, "ok": outcome.ok, "collection": outcome.collection,
            "requests": outcome.requests, "writes": outcome.writes,
            "verified": outcome.verified, "verify": outcome.verify,
            "missing": outcome.missing, "rollback": outcome.rollback,
            "error": outcome.error["reason"] if outcome.error else "",
            "error_detail": outcome.error}


def _with_job_fields(entry: dict) -> dict:
    """The names the job reports read: action (keep when nothing changes), moves, error."""
    entry.setdefault("action", entry["path"])
    entry["moves"] = len(entry["moved"])
    entry.setdefault("error", "")
    entry.setdefault("requests", 0)
    return entry
