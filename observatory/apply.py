"""Applying the saved decisions of one viewer and library: sends for approvals, then one row
sync when any title left (or came back to) the dataset."""

from __future__ import annotations

import logging

from django.utils import timezone

from observatory.models import Action, Decision
from recommendations.missing import approval
from recommendations.models import MissingSend
from recommendations.rows import lock, sync
from vault.clients import factory
from vault.clients.errors import ServiceError

logger = logging.getLogger(__name__)
ROW_CHANGES = (Action.REJECT, Action.REMOVE)
LOCK_WAIT = 5  # seconds; a job writing these rows longer than this: the sync is tried later


def claim(decision: Decision) -> bool:
    """Claim, don't hope: only one worker applies a decision."""
    return bool(Decision.objects.filter(pk=decision.pk, applied_at=None)
                .update(applied_at=timezone.now()))


def send_approved(decision: Decision) -> None:
    send = MissingSend.objects.filter(pk=decision.effect.get("send")).first()
    if send is None:
        return
    send = approval.approve(send)
    decision.effect = {**decision.effect, "state": send.state, "route": send.route,
                       "reason": send.reason}
    decision.save(update_fields=["effect"])


def apply_decisions(viewer, library, resync: bool = False) -> dict:
    """Claim the waiting decisions, send the approvals, then sync the rows once if a title
    left (or came back to) the dataset, or `resync` (an earlier sync found the rows busy).
    "rows_busy" in the report: a job was writing them; the caller tries the sync again."""
    waiting = list(Decision.objects.filter(viewer=viewer, library=library, applied_at=None)
                   .order_by("pk"))
    mine = [d for d in waiting if claim(d)]
    sent = 0
    for decision in mine:
        if decision.action == Action.APPROVE and not decision.undone:
            send_approved(decision)
            sent += 1
    synced = resync or any(d.action in ROW_CHANGES for d in mine)
    report = {"applied": len(mine), "sent": sent, "rows_synced": synced}
    if synced:
        try:
            with lock.held(viewer, library, "observatory", wait=LOCK_WAIT):
                report["rows_ok"] = sync_rows(viewer, library)
        except lock.RowsBusy as exc:
            logger.info("Observatory row sync postponed: %s", exc)
            report.update(rows_ok=False, rows_busy=True)
    return report


def sync_rows(viewer, library) -> bool:
    """The datasets are already right; a sync that fails here is redone by the next
    refresher, so it is logged, never raised. Runs inside the rows lock."""
    try:
        rows = sync.sync_viewer_rows(factory.plex_server(), viewer, library)
    except ServiceError as exc:
        logger.warning("Observatory row sync for %s · %s: %s", viewer.name, library.title, exc)
        return False
    if not rows.ok:
        logger.warning("Observatory row sync for %s · %s: %s", viewer.name, library.title,
                       rows.errors)
    return rows.ok
