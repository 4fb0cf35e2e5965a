"""POST /webhooks/plex: Plex's multipart webhook, guarded by the per-install token."""

from __future__ import annotations

import logging

from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from immaculaterr.params import positive_id
from jobs import conf
from jobs.models import LogLine
from jobs.triggers import auto_run
from jobs.triggers import webhook as hooks

logger = logging.getLogger("jobs")


def _answer(status: int, message: str, **extra) -> JsonResponse:
    return JsonResponse({"ok": status < 400, "message": message, **extra}, status=status)


@csrf_exempt
@login_not_required
@require_POST
def plex_webhook(request):
    given = request.GET.get("token") or request.headers.get("X-Immaculaterr-Token", "")
    if not given:
        return _answer(401, "A token is required (?token=… or X-Immaculaterr-Token).")
    if not hooks.token_matches(given):
        return _answer(403, "The token is wrong.")
    length = positive_id(request.headers.get("Content-Length") or "0")
    if length is None:
        return _answer(400, "Malformed webhook: Content-Length is not a number.")
    if length > conf.get("JOBS_WEBHOOK_MAX_BYTES"):
        return _answer(413, "The webhook is too large.")
    try:
        raw = request.POST.get("payload")
        if not raw:
            raise hooks.BadPayload("the multipart field 'payload' is missing")
        payload = hooks.parse(raw)
        jobs = hooks.EVENT_JOBS.get(payload["event"], ())
        watch = hooks.watch_of(payload) if jobs and payload["event"].startswith("media.") \
            else None
    except hooks.BadPayload as exc:
        return _answer(400, f"Malformed webhook: {exc}.")
    except Exception as exc:  # noqa: BLE001 - e.g. an unreadable multipart body
        return _answer(400, f"Malformed webhook: {type(exc).__name__}.")
    if payload["event"] == "library.new":
        status, message, extra = hooks.answer_library_new(raw, payload)
        return _answer(status, message, **extra)
    if not jobs or watch is None:
        return _answer(202, f"Ignored {payload['event']}.")
    if not hooks.first_delivery(raw):
        return _answer(202, "Duplicate of a webhook received moments ago; dropped.",
                       duplicate=True)
    runs = [run for run in (auto_run(key, watch) for key in jobs) if run is not None]
    LogLine.objects.create(level=logging.INFO, job=jobs[0],
                           message=f"Webhook {payload['event']} for {watch.title or watch.seed_key}"
                                   f" (account {watch.account_id}): "
                                   f"{', '.join(f'#{r.pk} {r.status}' for r in runs) or 'no run'}")
    return _answer(202, "Accepted.", runs=[{"id": r.pk, "job": r.job, "status": r.status,
                                            "reason": r.reason_code} for r in runs])
