"""Plex-triggered auto runs: decide (with a reason) whether a watch starts a job.

The poller and the webhook both describe a watch as a `Watch` and call `auto_run`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.db.models import F

from jobs import conf, registry, vaultlink
from jobs.context import Scope
from jobs.dispatch import dispatch, record_skip
from jobs.models import ACTIVE, JobRun, JobSetting, LogLine, ProcessedItem, Trigger

logger = logging.getLogger("jobs")

LATEST_AT, TASTE_AT = 0.6, 0.7
THRESHOLDS = (("latest_watched", LATEST_AT), ("immaculate_taste", TASTE_AT))


@dataclass(frozen=True)
class Watch:
    account_id: int
    library_key: str
    kind: str              # "movie" | "episode"
    seed_key: str          # the movie, or the show for an episode
    title: str             # the seed's title (the show's for an episode)
    year: int | None
    duration_ms: int
    source: str            # "poll" | "webhook"
    watched_key: str = ""  # the watched item itself (the episode); "" = the seed

    @property
    def item_key(self) -> str:
        """What the dedupe is keyed on: the watched item (each episode counts once, a movie's
        rewatch stays deduped), while the seed stays the show."""
        return str(self.watched_key or self.seed_key)

    @property
    def media_type(self) -> str:
        return "tv" if self.kind == "episode" else "movie"

    @property
    def seed(self) -> dict:
        return {"title": self.title, "year": self.year, "rating_key": self.seed_key,
                "media_type": self.media_type, "source": self.source}


def jobs_for_ratio(ratio: float) -> list[str]:
    return [key for key, at in THRESHOLDS if ratio >= at]


def auto_run_on(key: str) -> bool:
    setting = JobSetting.objects.filter(job=key).first()
    return setting.auto_run if setting else True


def skip_reason(key: str, watch: Watch, viewer, library) -> str:
    """The first reason not to run `key` for this watch, or ""."""
    if not auto_run_on(key):
        return "auto_run_off"
    # 0 = unknown: Plex's documented scrobble Metadata has no duration, so the webhook takes
    # the mirror's (PlexItem.duration_ms); still unknown = Plex already judged it a watch.
    if 0 < watch.duration_ms < conf.get("JOBS_MIN_DURATION_SECONDS") * 1000:
        return "too_short"
    if viewer is None or not viewer.monitored or not getattr(viewer, "present", True):
        return "viewer_not_monitored"
    if not vaultlink.selected_libraries(watch.media_type):
        return f"no_selected_{'movie' if watch.media_type == 'movie' else 'tv'}_libraries"
    if library is None or not library.selected or not getattr(library, "present", True):
        return "library_excluded"
    if ProcessedItem.objects.filter(job=key, viewer_account_id=watch.account_id,
                                    library_key=watch.library_key,
                                    item_key=watch.item_key).exists():
        return "already_processed"
    return ""


def in_flight(key: str, watch: Watch) -> JobRun | None:
    """A queued or running auto run for the same watch (poll and webhook both saw it)."""
    return JobRun.objects.filter(job=key, trigger=Trigger.AUTO, status__in=ACTIVE,
                                 viewer_account_id=watch.account_id,
                                 library_key=watch.library_key, item_key=watch.item_key).first()


def repeat_skip(key: str, watch: Watch, scope: Scope) -> JobRun:
    """An already-processed watch reported again: the first report makes the skipped run,
    later ones only count on it (Plex re-sends scrobbles; Rewind must not fill up with them)."""
    processed = ProcessedItem.objects.filter(job=key, viewer_account_id=watch.account_id,
                                             library_key=watch.library_key,
                                             item_key=watch.item_key).first()
    if processed is not None and processed.skip_run_id:
        counted = JobRun.objects.filter(pk=processed.skip_run_id).update(
            repeats=F("repeats") + 1)
        if counted:
            return JobRun.objects.get(pk=processed.skip_run_id)
    run = record_skip(key, "already_processed", scope=scope, seed=watch.seed,
                      item_key=watch.item_key)
    if processed is None:
        return run
    # Claim, don't hope: of two first reports at once, one run stands and the other counts.
    claimed = ProcessedItem.objects.filter(pk=processed.pk, skip_run=processed.skip_run_id)\
        .update(skip_run=run)
    if claimed:
        return run
    run.delete()
    return repeat_skip(key, watch, scope)


def auto_run(key: str, watch: Watch) -> JobRun | None:
    """Queue `key` for this watch, or record why not. None when a run is already on its way."""
    if key not in registry.REGISTRY:
        return None
    viewer, library = vaultlink.viewer(watch.account_id), vaultlink.library(watch.library_key)
    scope = Scope.of(viewer, library, watch.media_type)
    if viewer is None:
        scope = Scope(watch.account_id, "", watch.library_key, scope.library_title,
                      watch.media_type)
    code = skip_reason(key, watch, viewer, library)
    if code == "already_processed":
        return repeat_skip(key, watch, scope)
    if code:
        return record_skip(key, code, scope=scope, seed=watch.seed, item_key=watch.item_key)
    if in_flight(key, watch):
        LogLine.objects.create(job=key, level=logging.INFO,
                               message=f"{watch.source}: {watch.title} is already queued.")
        return None
    return dispatch(key, trigger=Trigger.AUTO, scope=scope, seed=watch.seed,
                    item_key=watch.item_key)
