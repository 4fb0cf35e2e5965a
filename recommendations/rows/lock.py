"""The rows lock: one writer at a time of one viewer's rows in one library, whoever it is (a
job's refresher or the Observatory's apply), or both would create the same collection.

A cache entry added atomically (Redis, or the database cache when there is no Redis: both are
shared by every process) and owned by a token that names its holder ("jobs:…",
"observatory:…"). It expires after `ttl`, so a holder that died frees it in the end; the jobs
also free it sooner, since their own scope locks already tell them no other job holds it
(`take_from`). Take it outside any transaction: the database cache's row must be visible."""

from __future__ import annotations

import secrets
import time
from contextlib import contextmanager

from django.core.cache import cache

TTL = 900  # seconds: far longer than any sync of one viewer's rows


class RowsBusy(Exception):
    """Someone else kept the rows for longer than we could wait."""


def key(viewer, library) -> str:
    return f"rows-lock:{viewer.account_id}:{library.key}"


def holder_of(viewer, library) -> str:
    """Who holds the lock now ("jobs", "observatory"), or "" when it is free."""
    token = cache.get(key(viewer, library))
    return str(token).split(":", 1)[0] if token else ""


def acquire(viewer, library, holder: str, ttl: float = TTL,
            take_from: str | None = None) -> str | None:
    """The owner token, or None while someone else holds it. `take_from` names a holder the
    caller knows to be gone (its lock is taken over)."""
    name, token = key(viewer, library), f"{holder}:{secrets.token_hex(12)}"
    if cache.add(name, token, timeout=ttl):
        return token
    if take_from and holder_of(viewer, library) == take_from:
        cache.delete(name)
        if cache.add(name, token, timeout=ttl):
            return token
    return None


def release(viewer, library, token: str) -> bool:
    """Free it if it is still ours (after its ttl it may be someone else's)."""
    name = key(viewer, library)
    if cache.get(name) != token:
        return False
    cache.delete(name)
    return True


@contextmanager
def held(viewer, library, holder: str, wait: float, ttl: float = TTL,
         take_from: str | None = None):
    """Hold it for the block, waiting up to `wait` seconds (0: one try) for our turn."""
    deadline = time.monotonic() + wait
    while (token := acquire(viewer, library, holder, ttl, take_from)) is None:
        if time.monotonic() >= deadline:
            raise RowsBusy(f"{viewer.name}'s rows in {library.title} are being written by "
                           f"{holder_of(viewer, library) or 'someone else'}")
        time.sleep(0.25)
    try:
        yield token
    finally:
        release(viewer, library, token)
