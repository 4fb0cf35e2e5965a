"""The recently-added check: Plex webhooks need Plex Pass, so every JOBS_RECENT_SECONDS (60)
beat asks the mirror what is new since the last check and starts Cleanup After Adding New
Content for it.

Each check brings the mirror up to date (one sections request; an incremental read only of
libraries whose section stamps moved) and takes the items added since the newest one it saw.
A burst is debounced into one run: new items wait until a check finds nothing newer (the
burst is over, so a single import starts its run at the next check), or until the first of
them has waited JOBS_RECENT_DEBOUNCE_SECONDS (120; a long import still gets a run that often).
Items a `library.new` webhook already started a run for are left out.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from jobs import locks, registry, vaultlink
from jobs.context import Scope
from jobs.dispatch import dispatch
from jobs.models import JobRun, LogLine, RecentlyAddedCheck, Trigger
from jobs.triggers import auto_run_on
from vault.clients.errors import ServiceError
from vault.mirror import reader
from vault.models import PlexItem

logger = logging.getLogger("jobs")
JOB = "media_added_cleanup"
TASK = "immaculaterr.jobs.recently_added"
LOCK = "recent:check"


def period() -> int:
    return int(getattr(settings, "JOBS_RECENT_SECONDS", 60))


def debounce() -> float:
    return float(getattr(settings, "JOBS_RECENT_DEBOUNCE_SECONDS", 120))


def _refresh_mirror() -> bool:
    try:
        server = vaultlink.plex_server()
        reader.sync_libraries(server)
        for library in reader.selected_libraries():
            reader.index_library(server, library)
    except ServiceError as exc:
        logger.info("Recently-added check: Plex did not answer (%s).", exc)
        return False
    return True


def _new_items(state: RecentlyAddedCheck) -> list[dict]:
    rows = PlexItem.objects.filter(library__in=reader.selected_libraries(),
                                   added_at__gte=state.seen_until)\
        .exclude(added_at=state.seen_until, rating_key__in=state.edge_keys)\
        .select_related("library").order_by("added_at", "rating_key")
    found = [{"rating_key": i.rating_key, "library": i.library.key, "title": i.title,
              "added_at": i.added_at.isoformat()} for i in rows]
    handled = set(JobRun.objects.filter(job=JOB, item_key__in=[
        str(f["rating_key"]) for f in found]).values_list("item_key", flat=True))
    return [f for f in found if str(f["rating_key"]) not in handled]


def _at(moment) -> list[int]:
    return sorted(PlexItem.objects.filter(library__in=reader.selected_libraries(),
                                          added_at=moment).values_list("rating_key", flat=True))


def check(now=None) -> JobRun | None:
    """One check; the run it started, if the debounce let one start."""
    if JOB not in registry.REGISTRY or not vaultlink.plex_enabled() or not auto_run_on(JOB):
        return None
    token = locks.acquire(LOCK, ttl=max(period() * 2, 30))
    if token is None:
        return None
    try:
        if not _refresh_mirror():
            return None
        with transaction.atomic():
            return _judge(now or timezone.now())
    finally:
        locks.release(LOCK, token)


def _judge(now) -> JobRun | None:
    state, _ = RecentlyAddedCheck.objects.select_for_update().get_or_create(name="plex")
    newest = PlexItem.objects.filter(library__in=reader.selected_libraries())\
        .order_by("-added_at").values_list("added_at", flat=True).first()
    state.checked_at = now
    if state.seen_until is None:  # the first check: what is there already is not new
        state.seen_until = newest or now
        state.edge_keys = _at(state.seen_until)
        state.save()
        return None
    fresh = _new_items(state)
    known = {p["rating_key"] for p in state.pending}
    fresh = [f for f in fresh if f["rating_key"] not in known]
    if fresh:
        state.pending = [*state.pending, *fresh]
        state.pending_since = state.pending_since or now
        state.last_new_at = now
        edge = max(state.seen_until, newest)
        state.edge_keys = _at(edge) if edge != state.seen_until else sorted(
            {*state.edge_keys, *_at(edge)})
        state.seen_until = edge
    run = None
    waited = state.pending_since and now - state.pending_since >= timedelta(seconds=debounce())
    if state.pending and (not fresh or waited):
        run = _start(state.pending)
        state.pending, state.pending_since = [], None
    state.save()
    return run


def _start(pending: list[dict]) -> JobRun:
    keys = [p["rating_key"] for p in pending]
    libraries = {p["library"] for p in pending}
    library = vaultlink.library(next(iter(libraries))) if len(libraries) == 1 else None
    title = pending[0]["title"] + (f" and {len(pending) - 1} more" if len(pending) > 1 else "")
    run = dispatch(JOB, trigger=Trigger.AUTO, scope=Scope.of(None, library),
                   seed={"rating_keys": keys, "title": title, "source": "recently added"},
                   item_key=str(keys[0]) if len(keys) == 1 else "")
    LogLine.objects.create(job=JOB, level=logging.INFO, run=run,
                           message=f"Recently added: {title} → one cleanup run (#{run.pk}).")
    return run


@shared_task(name=TASK, ignore_result=True, expires=50)
def check_recently_added() -> int:
    run = check()
    return run.pk if run else 0
