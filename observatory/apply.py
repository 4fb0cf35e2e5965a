"""Applying the saved decisions of one viewer and library: sends for approvals, then one row
sync when any title left (or came back to) the dataset."""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone

from observatory.models import Action, Decision
from recommendations.missing import approval
from recommendations.models import MissingSend, SendState
from recommendations.rows import lock, sync
from vault.clients import factory
from vault.clients.errors import ServiceError

logger = logging.getLogger(__name__)
ROW_CHANGES = (Action.REJECT, Action.REMOVE)
NOT_TAKEN = (SendState.TO_SEND, SendState.FAILED)  # the service has nothing of the title
LOCK_WAIT = 5  # seconds; a job writing these rows longer than this: the sync is tried later


def claim(decision: Decision) -> bool:
    """Claim, don't hope: only one worker applies a decision."""
    return bool(Decision.objects.filter(pk=decision.pk, applied_at=None)
                .update(applied_at=timezone.now()))


def send_approved(decision: Decision) -> bool:
    """Send it, unless an undo came first. An undo that arrives while the send is on its way
    is honoured after it: when the service did not take the title, it waits for approval
    again; when it did, it stays there (the undo already said so). True if sent."""
    started = Decision.objects.filter(pk=decision.pk, undone=False,
                                      send_started_at=None).update(
        send_started_at=timezone.now())
    send = MissingSend.objects.filter(pk=decision.effect.get("send")).first()
    if not started or send is None:
        return False
    send = approval.approve(send)
    with transaction.atomic():
        current = Decision.objects.select_for_update().get(pk=decision.pk)
        current.effect = {**current.effect, "state": send.state, "route": send.route,
                          "reason": send.reason}
        current.save(update_fields=["effect"])
        if current.undone and send.state in NOT_TAKEN:
            MissingSend.objects.filter(pk=send.pk, state=send.state).update(
                state=SendState.AWAITING_APPROVAL)
    return True


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
            sent += send_approved(decision)
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
