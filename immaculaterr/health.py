"""What /healthz reports: database, broker, worker heartbeat and beat."""

from __future__ import annotations

import os
import socket
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils import timezone

from immaculaterr.models import Heartbeat

HEARTBEAT_TASK = "immaculaterr.heartbeat"
RESTARTS_KEY = "immaculaterr.serve.restarts"
RESTART_WINDOW = timedelta(hours=1)
RESTART_NAMES = {"worker": "the worker", "triggers": "the triggers worker",
                 "beat": "the scheduler (beat)"}


def record_heartbeat(name: str, detail: str = "") -> None:
    Heartbeat.objects.update_or_create(
        name=name, defaults={"seen_at": timezone.now(), "detail": detail[:200]}
    )


def record_worker_heartbeat() -> None:
    record_heartbeat("worker", f"{socket.gethostname()} pid {os.getpid()}")


def record_restart(name: str, code: int) -> None:
    """serve restarted a child (it is the only writer): kept for an hour, for /healthz and the
    Dashboard. The cache is shared by every process (database table, or Redis)."""
    now = timezone.now()
    kept = [r for r in recent_restarts() if r["at"] > (now - RESTART_WINDOW).isoformat()]
    kept.append({"name": name, "code": code, "at": now.isoformat()})
    cache.set(RESTARTS_KEY, kept, timeout=int(RESTART_WINDOW.total_seconds()))


def recent_restarts() -> list[dict]:
    since = (timezone.now() - RESTART_WINDOW).isoformat()
    return [r for r in cache.get(RESTARTS_KEY) or [] if r["at"] > since]


def _times(n: int) -> str:
    return {1: "once", 2: "twice"}.get(n, f"{n} times")


def restart_summary(names: tuple[str, ...]) -> dict:
    """How often serve restarted these children in the last hour, with a sentence."""
    try:
        restarts = [r for r in recent_restarts() if r["name"] in names]
    except Exception:  # noqa: BLE001 - the cache being down is the broker check's business
        return {}
    counts = {name: sum(r["name"] == name for r in restarts) for name in names}
    parts = [f"{RESTART_NAMES[name]} restarted {_times(n)}" for name, n in counts.items() if n]
    sentence = " and ".join(parts) + " in the last hour." if parts else ""
    return {"restarts_last_hour": len(restarts),
            "last_restart_at": restarts[-1]["at"] if restarts else None,
            "restarts": sentence[:1].upper() + sentence[1:]}


def _age(when) -> float | None:
    return None if when is None else round((timezone.now() - when).total_seconds(), 1)


def check_database() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return {"ok": True, "engine": connection.vendor}
    except Exception as exc:  # noqa: BLE001 - reported, not raised
        return {"ok": False, "engine": connection.vendor, "error": str(exc)[:200]}


def check_broker() -> dict:
    kind = "redis" if settings.REDIS_URL else "filesystem"
    try:
        if settings.REDIS_URL:
            import redis

            redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2).ping()
        else:
            probe = settings.BROKER_DIR / "queue"
            if not probe.is_dir():
                raise OSError(f"{probe} is missing")
        return {"ok": True, "kind": kind}
    except Exception as exc:  # noqa: BLE001
        return {"ok": False, "kind": kind, "error": str(exc)[:200]}


def check_worker() -> dict:
    beat = Heartbeat.objects.filter(name="worker").first()
    age = _age(beat.seen_at if beat else None)
    limit = settings.HEARTBEAT_SECONDS * 4
    return {"ok": age is not None and age <= limit, "last_heartbeat_age_s": age,
            "seen_by": beat.detail if beat else None, **restart_summary(("worker", "triggers"))}


def check_beat() -> dict:
    """Beat is alive when the heartbeat task it schedules keeps arriving at a worker."""
    beat = Heartbeat.objects.filter(name="beat").first()
    age = _age(beat.seen_at if beat else None)
    limit = settings.HEARTBEAT_SECONDS * 4
    return {"ok": age is not None and age <= limit, "last_dispatch_age_s": age,
            **restart_summary(("beat",))}


def report() -> dict:
    checks = {"database": check_database()}
    if checks["database"]["ok"]:
        checks.update(broker=check_broker(), worker=check_worker(), beat=check_beat())
    else:
        checks.update(broker=check_broker(), worker={"ok": False}, beat={"ok": False})
    checks["ok"] = all(c["ok"] for c in checks.values() if isinstance(c, dict))
    checks["checked_at"] = timezone.now().isoformat()
    return checks


def stale_after() -> timedelta:
    return timedelta(seconds=settings.HEARTBEAT_SECONDS * 4)
