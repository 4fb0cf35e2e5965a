"""The debounced apply: every decision asks for it, one runs `debounce` seconds after the last
decision of that viewer and library (a cache key says one is already on its way). The delay
travels in the message, so the worker waits what the web process chose."""

from __future__ import annotations

import time

from celery import shared_task
from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from observatory import apply
from vault.models import PlexLibrary, PlexViewer

TASK = "observatory.apply_decisions"
DEBOUNCE = 20  # seconds after the last swipe (OBSERVATORY_DEBOUNCE_SECONDS overrides)


def debounce() -> float:
    return float(getattr(settings, "OBSERVATORY_DEBOUNCE_SECONDS", DEBOUNCE))


def keys(viewer_id: int, library_id: int) -> tuple[str, str]:
    base = f"observatory:{viewer_id}:{library_id}"
    return f"{base}:scheduled", f"{base}:last"


def schedule(viewer_id: int, library_id: int) -> bool:
    """Note this decision; enqueue an apply only when none is waiting. True if enqueued."""
    scheduled, last = keys(viewer_id, library_id)
    delay = debounce()
    cache.set(last, time.time(), timeout=max(60, delay * 30))
    if not cache.add(scheduled, "1", timeout=max(60, delay * 15)):
        return False
    kwargs = {"viewer_id": viewer_id, "library_id": library_id, "debounce": delay}
    transaction.on_commit(lambda: apply_decisions.apply_async(kwargs=kwargs, countdown=delay))
    return True


@shared_task(name=TASK, bind=True, ignore_result=True)
def apply_decisions(self, viewer_id: int, library_id: int, debounce: float = DEBOUNCE,
                    resync: bool = False) -> dict | None:
    scheduled, last = keys(viewer_id, library_id)
    kwargs = {"viewer_id": viewer_id, "library_id": library_id, "debounce": debounce}
    wait = debounce - (time.time() - (cache.get(last) or 0))
    if wait > min(1, debounce / 4) and not self.request.is_eager and self.request.id:
        # More swipes came in since this was enqueued: wait for the burst to end.
        apply_decisions.apply_async(kwargs={**kwargs, "resync": resync}, countdown=wait)
        return None
    if not resync:
        cache.delete(scheduled)
    viewer = PlexViewer.objects.filter(pk=viewer_id).first()
    library = PlexLibrary.objects.filter(pk=library_id).first()
    if viewer is None or library is None:
        return None
    report = apply.apply_decisions(viewer, library, resync=resync)
    if report.get("rows_busy") and not self.request.is_eager:
        # A job is writing these rows: sync them once it is done.
        apply_decisions.apply_async(kwargs={**kwargs, "resync": True}, countdown=debounce)
    return report
