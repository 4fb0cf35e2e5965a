"""Scope locks: one row per held (job, viewer, library), owned by a random token.

A unique key makes acquisition atomic on SQLite and PostgreSQL alike; release deletes only
the caller's own row; the sweeper frees locks whose run has died.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from jobs.models import ACTIVE, ScopeLock


class ScopeBusy(Exception):
    """A run learned its real scope (ctx.narrow) and another run holds that scope's lock."""

    def __init__(self, key: str):
        super().__init__(f"{key} is held by another run")
        self.key = key


def scope_key(job: str, viewer: int | None, library: str) -> str:
    return f"{job}:{'*' if viewer is None else viewer}:{library or '*'}"


def acquire(key: str, run=None, ttl: float = 600) -> str | None:
    """The owner token, or None while someone else holds the key. A lock without a run (held
    by a periodic task) counts as abandoned after `ttl` seconds."""
    token = secrets.token_hex(16)
    for _ in range(2):
        try:
            with transaction.atomic():
                ScopeLock.objects.create(key=key, owner=token, run=run)
            return token
        except IntegrityError:
            if not _free_orphan(key, ttl):
                return None
    return None


def release(key: str, token: str) -> bool:
    return ScopeLock.objects.filter(key=key, owner=token).delete()[0] > 0


def _free_orphan(key: str, ttl: float) -> bool:
    """Drop the lock when its run has already ended (its worker released nothing)."""
    held = ScopeLock.objects.filter(key=key).select_related("run").first()
    if held is None:
        return True
    if held.run is not None and held.run.status in ACTIVE:
        return False
    if held.run is None and held.acquired_at > timezone.now() - timedelta(seconds=ttl):
        return False
    return ScopeLock.objects.filter(pk=held.pk, owner=held.owner).delete()[0] > 0
