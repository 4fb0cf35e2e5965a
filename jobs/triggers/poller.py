"""Poll Plex's now-playing sessions (beat, every few seconds) and start jobs at thresholds.

Each session is remembered (SeenSession) with the jobs it already fired, so a job fires once
per session, and a session that ended between polls is judged on its last seen offset.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.utils import timezone

from jobs import locks, vaultlink
from jobs.models import JobRun, LogLine, SeenSession
from jobs.triggers import Watch, auto_run, jobs_for_ratio
from vault.mirror.parse import show_rating_key

logger = logging.getLogger("jobs")
POLL_LOCK = "poll:sessions"


@dataclass(frozen=True)
class Playing:
    key: str
    watch: Watch
    rating_key: str
    offset_ms: int


def _int(value, default=0) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def parse_sessions(root) -> list[Playing]:
    """Movies and episodes from a /status/sessions MediaContainer element."""
    found = []
    for el in root:
        kind = el.get("type")
        user = el.find("User")
        if kind not in ("movie", "episode") or user is None:
            continue
        episode = kind == "episode"
        rating_key = el.get("ratingKey", "")
        seed_key = str(show_rating_key(el) or "") if episode else rating_key
        watch = Watch(
            account_id=_int(user.get("id")), library_key=el.get("librarySectionID", ""),
            kind=kind, seed_key=seed_key,
            title=el.get("grandparentTitle" if episode else "title", ""),
            year=_int(el.get("grandparentYear" if episode else "year"), None),
            duration_ms=_int(el.get("duration")), source="poll", watched_key=rating_key)
        key = f"{el.get('sessionKey', '')}:{watch.account_id}:{rating_key}"
        found.append(Playing(key, watch, rating_key, _int(el.get("viewOffset"))))
    return found


def poll() -> list[JobRun]:
    """One polling cycle; the runs it queued or skipped."""
    if not vaultlink.plex_enabled():
        return []
    token = locks.acquire(POLL_LOCK, ttl=60)
    if token is None:
        return []  # the previous cycle is still talking to Plex
    try:
        try:
            playing = parse_sessions(vaultlink.plex_server().query("/status/sessions"))
        except Exception as exc:  # noqa: BLE001 - Plex down must not break beat
            _poll_failed(exc)
            return []
        _poll_answered()
        return _evaluate_all(playing)
    finally:
        locks.release(POLL_LOCK, token)


# Plex down is logged when it goes down and when it answers again, not on every poll (one a
# 5 s poll: ~17k lines a day). Each poll is its own Celery task call, maybe in another process,
# so the state lives in the shared cache (Redis, or the database cache without it).
DOWN_KEY = "poll:plex_down"


def _note(level: int, message: str) -> None:
    logger.log(level, "%s", message)
    LogLine.objects.create(level=level, message=message[:500])


def _poll_failed(exc: Exception) -> None:
    from django.core.cache import cache

    state = cache.get(DOWN_KEY)
    if state is None:
        state = {"since": timezone.now().timestamp(), "failures": 0}
        _note(logging.WARNING, f"Plex session poll failed: {exc} Polling goes on quietly; "
                               f"one line follows when Plex is back.")
    state["failures"] += 1
    cache.set(DOWN_KEY, state, timeout=None)


def _poll_answered() -> None:
    from django.core.cache import cache

    state = cache.get(DOWN_KEY)
    if state is None:
        return
    cache.delete(DOWN_KEY)
    down_for = max(0, int(timezone.now().timestamp() - state["since"]))
    polls = state["failures"]
    _note(logging.INFO, f"Plex answers again after {_duration(down_for)} down "
                        f"({polls} poll{'s' if polls != 1 else ''} failed).")


def _duration(seconds: int) -> str:
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours} h {minutes} min"
    if minutes:
        return f"{minutes} min {secs} s"
    return f"{secs} s"


def _evaluate_all(playing: list[Playing]) -> list[JobRun]:
    started = []
    seen = {row.session_key: row for row in SeenSession.objects.all()}
    for item in playing:
        row = seen.pop(item.key, None) or SeenSession(session_key=item.key)
        _remember(row, item)
        started += _evaluate(row, item.watch)
    for row in seen.values():  # ended since the last poll: judge its last seen offset
        started += _evaluate(row, _watch_of(row))
        row.delete()
    return started


def _remember(row: SeenSession, item: Playing) -> None:
    w = item.watch
    row.account_id, row.rating_key, row.seed_key = w.account_id, item.rating_key, w.seed_key
    row.library_key, row.kind, row.title, row.year = w.library_key, w.kind, w.title, w.year
    row.duration_ms, row.offset_ms = w.duration_ms, max(row.offset_ms or 0, item.offset_ms)
    row.last_seen = timezone.now()
    row.save()


def _watch_of(row: SeenSession) -> Watch:
    return Watch(row.account_id, row.library_key, row.kind, row.seed_key, row.title, row.year,
                 row.duration_ms, "poll", row.rating_key)


def _evaluate(row: SeenSession, watch: Watch) -> list[JobRun]:
    if not row.duration_ms:
        return []
    ratio = row.offset_ms / row.duration_ms
    due = [key for key in jobs_for_ratio(ratio) if key not in row.fired]
    runs = []
    for key in due:
        run = auto_run(key, watch)
        row.fired = [*row.fired, key]
        if run is not None:
            runs.append(run)
    if due and row.pk:
        SeenSession.objects.filter(pk=row.pk).update(fired=row.fired)
    return runs
