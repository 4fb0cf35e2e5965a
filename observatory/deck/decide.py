"""A decision on the top card, saved at once, and the undo of the last one."""

from __future__ import annotations

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from observatory import tasks
from observatory.deck.cards import Scope, decided
from observatory.models import Action, Decision, Pass
from recommendations.missing import approval
from recommendations.models import (
    ImmaculateTasteTitle,
    LatestWatchedTitle,
    MissingSend,
    RejectedTitle,
    SendState,
)

DATASETS = {"immaculate": ImmaculateTasteTitle, "latest": LatestWatchedTitle}
PASS_OF = {Action.APPROVE: Pass.APPROVAL, Action.REJECT: Pass.APPROVAL,
           Action.KEEP: Pass.REVIEW, Action.REMOVE: Pass.REVIEW}


class NotOnDeck(Exception):
    """The title is not (or no longer) a card of this deck."""


def decide(scope: Scope, tmdb_id: int, action: str) -> tuple[Decision, str]:
    if action not in PASS_OF:
        raise NotOnDeck("Choose approve, reject, keep or remove.")
    with transaction.atomic():
        if decided(scope).filter(tmdb_id=tmdb_id).exists():
            raise NotOnDeck("That title was already decided.")
        decision = Decision(viewer=scope.viewer, library=scope.library,
                            media_type=scope.media, tmdb_id=tmdb_id,
                            deck_pass=PASS_OF[action], action=action)
        message = (_approval if decision.deck_pass == Pass.APPROVAL else _review)(
            scope, decision)
        decision.save()
        tasks.schedule(scope.viewer.pk, scope.library.pk)
    return decision, message


def _approval(scope: Scope, decision: Decision) -> str:
    send = scope.rows(MissingSend).filter(tmdb_id=decision.tmdb_id,
                                          state=SendState.AWAITING_APPROVAL).first()
    if send is None:
        raise NotOnDeck("That title is no longer waiting for approval.")
    decision.title, decision.effect = send.title, {"send": send.pk}
    if decision.action == Action.REJECT:
        approval.reject(send)
        return f"Rejected {send.title} — on the rejected list"
    return f"Approved {send.title} — sent to {send.get_route_display()} in a moment"


def _review(scope: Scope, decision: Decision) -> str:
    title = (scope.rows(ImmaculateTasteTitle).filter(tmdb_id=decision.tmdb_id).first()
             or scope.rows(LatestWatchedTitle).filter(tmdb_id=decision.tmdb_id).first())
    if title is None:
        raise NotOnDeck("That title is no longer in the dataset.")
    decision.title = title.title
    if decision.action == Action.KEEP:
        return f"Kept {title.title}"
    rows = [(key, row) for key, model in DATASETS.items()
            for row in model.objects.filter(viewer=scope.viewer, media_type=scope.media,
                                            tmdb_id=decision.tmdb_id)]
    _, created = RejectedTitle.objects.get_or_create(
        viewer=scope.viewer, media_type=scope.media, tmdb_id=decision.tmdb_id,
        defaults={"title": title.title})
    decision.effect = {"rows": [_snapshot(key, row) for key, row in rows],
                       "rejected_added": created}
    for _, row in rows:
        row.delete()
    return f"Removed {title.title} — on the rejected list"


def _snapshot(key: str, row) -> dict:
    values = {f.attname: getattr(row, f.attname) for f in row._meta.concrete_fields
              if f.attname != "id"}
    return {"dataset": key, "fields": _jsonable(values)}


def _jsonable(values: dict) -> dict:
    encoder = DjangoJSONEncoder()
    return {k: v if v is None or isinstance(v, (int, float, str, bool))
            else encoder.default(v) for k, v in values.items()}


def _restore_rows(effect: dict) -> None:
    for saved in effect.get("rows", []):
        DATASETS[saved["dataset"]].objects.create(**saved["fields"])


def undo_last(scope: Scope) -> str:
    with transaction.atomic():
        decision = (scope.rows(Decision).select_for_update().filter(undone=False)
                    .order_by("-pk").first())
        if decision is None:
            return "Nothing to undo."
        ran = decision.applied_at is not None
        message = _revert(decision, ran)
        decision.undone = True
        if decision.action in (Action.REJECT, Action.REMOVE):
            # Rows changed: when the sync already ran, the next one puts the title back.
            decision.applied_at = None if ran else timezone.now()
            if ran:
                tasks.schedule(scope.viewer.pk, scope.library.pk)
        elif not ran:
            decision.applied_at = timezone.now()  # nothing left to apply
        decision.save()
    return message


def _revert(decision: Decision, ran: bool) -> str:
    name = decision.title or f"TMDB {decision.tmdb_id}"
    if decision.action == Action.REJECT:
        send = MissingSend.objects.filter(pk=decision.effect.get("send")).first()
        if send is not None:
            approval.undo(send)
        return f"Undone: {name} is waiting for approval again"
    if decision.action == Action.REMOVE:
        if decision.effect.get("rejected_added"):
            RejectedTitle.objects.filter(viewer=decision.viewer, media_type=decision.media_type,
                                         tmdb_id=decision.tmdb_id).delete()
        _restore_rows(decision.effect)
        return f"Undone: {name} is back in the dataset"
    if decision.action == Action.APPROVE:
        return _unapprove(decision, name) if ran else (
            f"Undone: {name} is waiting for approval again")
    return f"Undone: {name} is on the deck again"


def _unapprove(decision: Decision, name: str) -> str:
    send = MissingSend.objects.filter(pk=decision.effect.get("send")).first()
    if send is None:
        return f"Undone here: {name}"
    route = send.get_route_display()
    if decision.send_started_at is None:  # claimed, but the send has not begun: it never will
        return f"Undone: {name} is waiting for approval again"
    if "state" not in decision.effect:  # the send is on its way right now
        return (f"Undone here, but {name} was already on its way to {route}: if {route} "
                f"takes it, remove it there; if not, it waits for approval again")
    if send.state in (SendState.TO_SEND, SendState.FAILED):  # the service has nothing of it
        MissingSend.objects.filter(pk=send.pk).update(state=SendState.AWAITING_APPROVAL)
        return f"Undone: {name} is waiting for approval again"
    return f"Undone here, but {route} already has {name}: remove it there if you don't want it"
