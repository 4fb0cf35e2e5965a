"""A persistent TMDB cache with a per-run request budget, wrapped around any TMDB client.

Details and id look-ups change rarely and live long; lists (recommendations, similar) a week;
discover and upcoming a day. Only answers that reached TMDB count against the budget.
"""

from __future__ import annotations

import json
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from recommendations.models import TmdbCacheEntry

TTL = {
    "details": timedelta(days=30),
    "find": timedelta(days=30),
    "search": timedelta(days=7),
    "recommendations": timedelta(days=7),
    "similar": timedelta(days=7),
    "discover": timedelta(days=1),
}


class BudgetExhausted(Exception):
    """This run has spent its TMDB request budget; cached answers still work."""


class CachedTmdb:
    """Same methods as vault's TmdbClient; `requests` counts calls that reached TMDB."""

    def __init__(self, client, budget: int = 120, now=timezone.now):
        self.client = client
        self.budget = budget
        self.now = now
        self.requests = 0
        self.hits = 0

    @property
    def remaining(self) -> int:
        return max(0, self.budget - self.requests)

    def search(self, kind, query, year=None):
        return self._cached("search", kind, query, year)

    def details(self, kind, tmdb_id):
        return self._cached("details", kind, int(tmdb_id))

    def recommendations(self, kind, tmdb_id, page=1):
        return self._cached("recommendations", kind, int(tmdb_id), int(page))

    def similar(self, kind, tmdb_id, page=1):
        return self._cached("similar", kind, int(tmdb_id), int(page))

    def discover(self, kind, **params):
        return self._cached("discover", kind, **params)

    def find(self, external_id, source):
        return self._cached("find", str(external_id), source)

    def _cached(self, endpoint: str, *args, **params):
        key = f"{endpoint}:" + json.dumps([args, params], sort_keys=True, default=str)
        now = self.now()
        entry = TmdbCacheEntry.objects.filter(key=key, expires_at__gt=now).first()
        if entry is not None:
            self.hits += 1
            return entry.payload
        if self.requests >= self.budget:
            raise BudgetExhausted(f"TMDB request budget of {self.budget} spent")
        self.requests += 1
        payload = getattr(self.client, endpoint)(*args, **params)
        self._store(key, endpoint, payload, now)
        return payload

    @staticmethod
    def _store(key: str, endpoint: str, payload, now) -> None:
        values = {"endpoint": endpoint, "payload": payload, "fetched_at": now,
                  "expires_at": now + TTL[endpoint]}
        try:
            with transaction.atomic():
                TmdbCacheEntry.objects.update_or_create(key=key, defaults=values)
        except IntegrityError:
            pass  # another worker stored the same answer first


def purge_expired(now=None) -> int:
    """Delete expired answers; returns how many."""
    deleted, _ = TmdbCacheEntry.objects.filter(expires_at__lte=now or timezone.now()).delete()
    return deleted
