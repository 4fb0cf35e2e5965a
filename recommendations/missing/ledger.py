"""The MissingSend rows: which titles may go, and what happened to each."""

from __future__ import annotations

from django.utils import timezone

from recommendations.models import MissingSend, RejectedTitle, SendState

# a row in one of these states is never sent again on its route
SETTLED = (SendState.SENT, SendState.ALREADY_THERE, SendState.REMONITORED,
           SendState.AWAITING_APPROVAL, SendState.REJECTED)
DONE = (SendState.SENT, SendState.ALREADY_THERE, SendState.REMONITORED)


def settled(viewer, media_type: str, tmdb_id: int, route: str) -> bool:
    if RejectedTitle.objects.filter(viewer=viewer, media_type=media_type,
                                    tmdb_id=tmdb_id).exists():
        return True
    return MissingSend.objects.filter(viewer=viewer, media_type=media_type, tmdb_id=tmdb_id,
                                      route=route, state__in=SETTLED).exists()


def record(viewer, library, media_type: str, missing, task: str, route: str, state: str,
           **fields) -> MissingSend:
    row, _ = MissingSend.objects.get_or_create(
        viewer=viewer, media_type=media_type, tmdb_id=missing.tmdb_id, route=route,
        defaults={"library": library, "tvdb_id": missing.tvdb_id, "title": missing.title,
                  "year": missing.year, "poster_path": missing.poster_path,
                  "why": missing.why[:300], "task": task, "state": state})
    return apply(row, state, **fields)


def apply(row: MissingSend, state: str, *, attempt: bool = True, **fields) -> MissingSend:
    row.state = state
    for name, value in fields.items():
        setattr(row, name, value)
    if attempt and state != SendState.AWAITING_APPROVAL:
        row.attempts += 1
    if state in DONE:
        row.sent_at = timezone.now()
        row.reason = fields.get("reason", "")
    row.save()
    return row
