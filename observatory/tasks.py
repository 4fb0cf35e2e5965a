"""The debounced apply: every decision asks for it, one runs DEBOUNCE seconds after the last
decision of that viewer and library (a cache key says one is already on its way)."""

from __future__ import annotations

import time

from celery import shared_task
from django.core.cache import cache
from django.db import transaction

from observatory import apply
from vault.models import PlexLibrary, PlexViewer

TASK = "observatory.apply_decisions"
DEBOUNCE = 20  # seconds after the last swipe


def keys(viewer_id: int, library_id: int) -> tuple[str, str]:
    base = f"observatory:{viewer_id}:{library_id}"
    return f"{base}:scheduled", f"{base}:last"


def schedule(viewer_id: int, library_id: int) -> bool:
    """Note this decision; enqueue an apply only when none is waiting. True if enqueued."""
    scheduled, last = keys(viewer_id, library_id)
    cache.set(last, time.time(), timeout=DEBOUNCE * 30)
    if not cache.add(scheduled, "1", timeout=DEBOUNCE * 15):
        return False
    kwargs = {"viewer_id": viewer_id, "library_id": library_id}
    transaction.on_commit(lambda: apply_decisions.apply_async(kwargs=kwargs,
                                                              countdown=DEBOUNCE))
    return True


@shared_task(name=TASK, bind=True, ignore_result=True)
def apply_decisions(self, viewer_id: int, library_id: int) -> dict | None:
    scheduled, last = keys(viewer_id, library_id)
    wait = DEBOUNCE - (time.time() - (cache.get(last) or 0))
    if wait > 1 and not self.request.is_eager and self.request.id:
        # More swipes came in since this was enqueued: wait for the burst to end.
        apply_decisions.apply_async(kwargs={"viewer_id": viewer_id, "library_id": library_id},
                                    countdown=wait)
        return None
    cache.delete(scheduled)
    viewer = PlexViewer.objects.filter(pk=viewer_id).first()
    library = PlexLibrary.objects.filter(pk=library_id).first()
    if viewer is None or library is None:
        return None
    return apply.apply_decisions(viewer, library)
