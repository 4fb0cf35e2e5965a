"""Writing a viewer's rows in one library: the rows lock two jobs share, the sync itself (or
its plan on a dry run), and the plan lines the report shows."""

from __future__ import annotations

import time
from contextlib import contextmanager

from jobs import locks
from jobs.context import JobContext, Scope
from jobs.definitions.steps import plex
from jobs.errors import JobFailed, JobSkipped
from jobs.models import Trigger
from recommendations.rows import lock, sync
from recommendations.rows.section import SectionStates

# The rows each dataset feeds, so a job rebuilds only those.
IMMACULATE_ROWS = ("immaculate_taste",)
LATEST_ROWS = ("recently_watched", "change_of_taste")

ROWS_LOCK_WAIT = 300  # seconds: another job's sync of the same rows takes far less


@contextmanager
def rows_lock(viewer, library, dry_run: bool, run=None):
    """Two writers of one viewer's rows in one library (say both refreshers after a 90% watch,
    or a refresher and the Observatory's apply) must not write at the same time, or both
    would create the same collection. Wait our turn.

    Two locks: the jobs' scope lock (a row the sweeper frees with a dead run), then the rows
    lock every writer shares (recommendations.rows.lock). Holding the first, no other job can
    hold the second, so a job's leftover one is taken over; the Observatory's is waited for.

    Take it before opening a transaction: a lock row inserted inside one stays invisible to
    other workers until commit, so on PostgreSQL they would block on the unique index (no
    deadline, while holding their own row locks) instead of seeing the lock and waiting."""
    if dry_run:
        yield
        return
    key = f"rows:{viewer.account_id}:{library.key}"
    deadline = time.monotonic() + ROWS_LOCK_WAIT
    # Held for `run`, so the sweeper frees it with the run's other locks when its worker dies.
    while (token := locks.acquire(key, run, ttl=ROWS_LOCK_WAIT * 3)) is None:
        _wait_or_fail(viewer, deadline)
    try:
        while (shared := lock.acquire(viewer, library, "jobs", take_from="jobs")) is None:
            _wait_or_fail(viewer, deadline)
        try:
            yield
        finally:
            lock.release(viewer, library, shared)
    finally:
        locks.release(key, token)


def _wait_or_fail(viewer, deadline: float) -> None:
    if time.monotonic() > deadline:
        raise JobFailed("rows_busy", f"Another job or the Observatory kept {viewer.name}'s "
                        f"rows busy for {ROWS_LOCK_WAIT // 60} minutes; try again later.")
    time.sleep(0.5)


def sync_rows(ctx: JobContext, viewer, library, plan=None, kinds=None, fresh=None) -> dict:
    """Rebuild this viewer's rows in this library (only `kinds`, default all) as if the
    dataset `plan` were applied, or only plan them on a dry run. A real sync runs inside the
    caller's rows_lock and never inside a transaction (it talks to Plex). `fresh`: the Fresh
    Out row's rating keys when the caller has just worked them out."""
    scope = Scope.of(viewer, library).label
    with ctx.report.step("rows" + (" (plan)" if ctx.dry_run else "")) as counts:
        # Called through the module, so a test can watch the sync.
        data = sync.sync_viewer_rows(plex(ctx), viewer, library, dry_run=ctx.dry_run,
                                     kinds=kinds or sync.KINDS, overlay=plan, fresh=fresh,
                                     sections=sections(ctx), verify=verifies(ctx)).as_dict()
        plan = plan_entries(data)
        ctx.report.add_plan(plan, scope)
        sweeping = not getattr(getattr(ctx, "scope", None), "is_targeted", True)
        ctx.report.attach(f"rows {scope}", slim(data) if sweeping and not ctx.dry_run
                          and not data.get("errors") else data)
        counts.update(rows=len(plan), changed=sum(1 for p in plan if p["action"] != "keep"),
                      requests=data.get("requests", 0), writes=data.get("writes", 0))
    if data.get("skipped"):
        raise JobSkipped(data["skipped"], data.get("message") or "")
    errors = data.get("errors") or []
    if errors:
        service = errors[0].get("service") or "plex"
        reasons = "; ".join(e.get("reason") or "" for e in errors)[:450]
        code = f"{service}_unavailable" if errors[0].get("transient") else f"{service}_error"
        raise JobFailed(code, reasons if "plex" in reasons.lower() else f"Plex: {reasons}")
    return {"rows": counts["rows"], "rows_changed": counts["changed"]}


def verifies(ctx: JobContext) -> bool:
    """An admin's own run ("Run now", run_job) reads every row it keeps and repairs what was
    changed by hand; scheduled, chained and Plex-triggered runs trust a row whose order was
    read back lately and that still holds as many items (recommendations.rows.data.trusted)."""
    return getattr(getattr(ctx, "run", None), "trigger", Trigger.MANUAL) in (
        Trigger.MANUAL, Trigger.CLI)


ROW_FIELDS = ("title", "kind", "action", "collection", "items", "ok", "error")


def slim(data: dict) -> dict:
    """A sweep's scope that went well keeps each row's outcome, not its diff: the plan lines
    already name what changed, and the whole diff (~60 KB a scope with item names) made a
    50-viewer sweep's report several MB, rewritten as the sweep went."""
    return {"viewer": data.get("viewer"), "library": data.get("library"),
            "requests": data.get("requests", 0), "writes": data.get("writes", 0),
            "rows": [{k: row.get(k) for k in ROW_FIELDS} for row in data.get("rows") or []]}


def sections(ctx: JobContext) -> SectionStates:
    """The run's section reads, shared by the row syncs of all its viewers (a sweep reads each
    library's collections and hubs about once, not once per viewer)."""
    if not hasattr(ctx, "_sections"):
        ctx._sections = SectionStates()
    return ctx._sections


def _names(items) -> list[str]:
    return [str(i.get("title") or i.get("rating_key")) if isinstance(i, dict) else str(i)
            for i in items or []]


PIN_NAMES = {"library_recommended": "Library Recommended", "home": "Home",
             "friends_home": "Friends' Home"}


def plan_entries(data: dict) -> list[dict]:
    """The rows report as plan lines: row, action, items added/removed, moves, and the other
    changes (custom sort, pins, poster) so an "update" line never reads as nothing."""
    return [{"row": row.get("title") or "?", "action": row.get("action") or "keep",
             "add": _names(row.get("added")), "remove": _names(row.get("removed")),
             "moves": row.get("moves") or len(row.get("moved") or []),
             "other": _other_changes(row), "requests": row.get("requests", 0),
             "error": row.get("error") or ""}
            for row in data.get("rows") or []] + [  # private rows: share filters before → after
        {"row": f"Share filter of {c['account']} ({c['library']})", "action": "update", "add": [],
         "remove": [], "moves": 0, "other": [f"{c['before'] or 'none'} → {c['after'] or 'none'}"],
         "requests": 0, "error": ""} for c in data.get("share_filters") or []]


def _other_changes(row: dict) -> list[str]:
    changes = []
    if row.get("sort") == "custom" and row.get("action") not in ("keep", "delete"):
        changes.append("custom sort")
    pins = row.get("pins") or {}
    if pins.get("to") is not None:
        wanted = [PIN_NAMES[k] for k, on in pins["to"].items() if on]
        changes.append("pin to " + (", ".join(wanted) if wanted else "nowhere"))
    if row.get("poster") == "upload":
        changes.append("poster")
    return changes
