"""The Observatory's decisions on a title waiting for approval: approve, reject, and undo.
The service call comes first, then one short transaction: never a half-written decision."""

from __future__ import annotations

from django.db import transaction

from recommendations.missing import ledger
from recommendations.missing.routing import Missing
from recommendations.missing.send import attempt, fault_sentence, fields, is_fault, sender
from recommendations.models import (
    ImmaculateTasteTitle,
    LatestWatchedTitle,
    MissingSend,
    RejectedTitle,
    Route,
    SendState,
)
from vault.clients import factory
from vault.clients.errors import ServiceError

DATASETS = {"immaculate": ImmaculateTasteTitle, "latest": LatestWatchedTitle}
KEPT = ("library_id", "media_type", "tmdb_id", "tvdb_id", "imdb_id", "title", "year",
        "release_date", "vote_average", "vote_count", "poster_path", "rating_key", "why",
        "status", "points", "approval", "first_suggested_at", "last_suggested_at",
        "list_kind", "position", "suggested_at")


def as_missing(send: MissingSend) -> Missing:
    return Missing(send.tmdb_id, send.title, send.year, send.tvdb_id, send.poster_path,
                   send.why)


def approve(send: MissingSend) -> MissingSend:
    """Send it now, through the same path a run takes; a fault leaves it to send."""
    if send.state not in (SendState.AWAITING_APPROVAL, SendState.TO_SEND):
        return send
    try:
        result = attempt(sender(send.route, send.search_now, send.task, False),
                         as_missing(send), send.media_type, send.viewer)
    except Exception as exc:
        if not (is_fault(exc) or isinstance(exc, ServiceError)):
            raise
        with transaction.atomic():
            return ledger.apply(send, SendState.TO_SEND, reason=fault_sentence(
                send.route, exc, 1)[:500])
    with transaction.atomic():
        return ledger.apply(send, result.state, **fields(result))


def _rows(send: MissingSend):
    for key, model in DATASETS.items():
        for row in model.objects.filter(viewer=send.viewer, media_type=send.media_type,
                                        tmdb_id=send.tmdb_id):
            yield key, row


def _snapshot(key: str, row) -> dict:
    values = {name: getattr(row, name) for name in KEPT if hasattr(row, name)}
    return {"dataset": key, **{k: v.isoformat() if hasattr(v, "isoformat") else v
                               for k, v in values.items()}}


def reject(send: MissingSend) -> MissingSend:
    """Never suggested again: on the rejected list, out of the viewer's rows (kept in undo)."""
    with transaction.atomic():
        rows = list(_rows(send))
        send.undo = {"rows": [_snapshot(key, row) for key, row in rows],
                     "state": send.state}
        for _, row in rows:
            row.delete()
        RejectedTitle.objects.get_or_create(viewer=send.viewer, media_type=send.media_type,
                                            tmdb_id=send.tmdb_id,
                                            defaults={"title": send.title})
        return ledger.apply(send, SendState.REJECTED, attempt=False)


def _restore(send: MissingSend) -> None:
    for saved in (send.undo or {}).get("rows", []):
        data = dict(saved)
        model = DATASETS[data.pop("dataset")]
        fields_ = {k: v for k, v in data.items() if k not in ("media_type", "tmdb_id")}
        model.objects.update_or_create(viewer=send.viewer, media_type=send.media_type,
                                       tmdb_id=send.tmdb_id,
                                       **({"list_kind": data["list_kind"]}
                                          if "list_kind" in data else {}),
                                       defaults=fields_)


def _remove(send: MissingSend) -> None:
    if send.route == Route.RADARR:
        factory.radarr().delete(send.service_id)
    elif send.route == Route.SONARR:
        factory.sonarr().delete(send.service_id)
    else:
        factory.overseerr().delete_request(send.service_id)


def undo(send: MissingSend) -> MissingSend:
    """Back to waiting for approval: a rejection is forgotten, or what we added is removed."""
    if send.state == SendState.REJECTED:
        with transaction.atomic():
            RejectedTitle.objects.filter(viewer=send.viewer, media_type=send.media_type,
                                         tmdb_id=send.tmdb_id).delete()
            _restore(send)
            send.undo = {}
            return ledger.apply(send, SendState.AWAITING_APPROVAL, attempt=False)
    if send.state == SendState.SENT and send.added_by_us and send.service_id:
        _remove(send)  # a ServiceError here leaves the row as it was
        with transaction.atomic():
            return ledger.apply(send, SendState.AWAITING_APPROVAL, attempt=False,
                                service_id=None, added_by_us=False, sent_at=None,
                                requested_as=None, requested_as_name="", answer={})
    return send
