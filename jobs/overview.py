"""What the Dashboard shows beside /healthz: services, the last runs, dataset sizes, and a
sentence for each background process that needs attention."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db.models import Count, Q

from jobs.models import JobRun
from recommendations.models import ImmaculateTasteTitle, LatestWatchedTitle
from vault import integrations as vault
from vault.models import Integration


def integrations() -> list[dict]:
    """Every service the Vault knows, in its order: set up and enabled, or why not."""
    rows = {row.service: row for row in Integration.objects.all()}
    unreadable = set(vault.unreadable_services())
    found = []
    for key, service in vault.SERVICES.items():
        row = rows.get(key)
        if key in unreadable:
            state, text = "bad", "Secrets cannot be decrypted; re-enter them in the Vault."
        elif vault.is_enabled(key):
            state, text = "ok", "Enabled and configured."
        elif row is not None and row.enabled:
            state, text = "bad", "Enabled, but a required value is missing."
        elif row is not None:
            state, text = "off", "Configured, turned off."
        else:
            state, text = "off", "Not set up."
        found.append({"key": key, "title": service.title, "state": state, "text": text})
    return found


def last_runs(limit: int = 8) -> list[JobRun]:
    return list(JobRun.objects.only(
        "pk", "job", "status", "trigger", "dry_run", "viewer_name", "viewer_account_id",
        "library_title", "library_key", "media_type", "reason_code", "reason", "created_at",
        "cancel_requested_at")[:limit])


def fingerprint(runs: list[JobRun]) -> str:
    """Changes when a run starts, ends or is cancelled: the open Dashboard's poll compares it."""
    seen = [(r.pk, r.status, bool(r.cancel_requested_at)) for r in runs]
    return hashlib.blake2s(repr(seen).encode(), digest_size=8).hexdigest()


def dataset_sizes() -> list[dict]:
    """Per viewer × library: Immaculate Taste active/pending and Latest Watched rows, in two
    grouped queries; `share` is each row's size relative to the largest (for the meters)."""
    keys = ("viewer__name", "viewer__account_id", "library__title", "library__key")
    sizes: dict[tuple, dict] = {}
    for row in ImmaculateTasteTitle.objects.values(*keys).annotate(
            active=Count("pk", filter=Q(status="active")),
            pending=Count("pk", filter=Q(status="pending"))):
        sizes[tuple(row[k] for k in keys)] = {"active": row["active"],
                                               "pending": row["pending"], "latest": 0}
    for row in LatestWatchedTitle.objects.values(*keys).annotate(latest=Count("pk")):
        entry = sizes.setdefault(tuple(row[k] for k in keys),
                                 {"active": 0, "pending": 0, "latest": 0})
        entry["latest"] = row["latest"]
    largest = max((sum(e.values()) for e in sizes.values()), default=0) or 1
    return [{"viewer": key[0], "library": key[2], **entry,
             "total": sum(entry.values()), "largest": largest}
            for key, entry in sorted(sizes.items(), key=lambda kv: (kv[0][0].lower(),
                                                                    kv[0][2].lower()))]


def attention(name: str, check: dict) -> str:
    """Why the worker or beat card is not healthy, in a sentence ("" when it is)."""
    if check.get("ok") or name not in ("worker", "beat"):
        return ""
    age = check.get("last_heartbeat_age_s" if name == "worker" else "last_dispatch_age_s")
    limit = settings.HEARTBEAT_SECONDS * 4
    if age is None:
        return ("No heartbeat yet — is the worker running?" if name == "worker" else
                "No scheduled heartbeat has reached a worker yet — is beat running?")
    return (f"Last {'heartbeat' if name == 'worker' else 'scheduled task'} {age:.0f} s ago "
            f"(expected within {limit} s) — is the {name} still running?")
