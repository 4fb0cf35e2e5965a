"""Tunables of the jobs app, read from Django settings with the product's defaults.

Every environment read lives in immaculaterr/settings.py; these only name defaults, so a
deployment (or a test settings module) can override any of them by defining the setting.
"""

from __future__ import annotations

from django.conf import settings

DEFAULTS = {
    "JOBS_HEARTBEAT_SECONDS": 10,   # a running run touches its row this often
    "JOBS_STALE_SECONDS": 25,       # no heartbeat for this long: the worker is gone
    "JOBS_SWEEP_SECONDS": 30,       # beat period of the sweeper
    "JOBS_POLL_SECONDS": 5,         # beat period of the Plex session poller
    "JOBS_RETENTION_DAYS": 90,
    "JOBS_MAX_RETRIES": 3,          # for transient service errors only
    "JOBS_RETRY_BACKOFF": 10,       # seconds, doubled per attempt, with jitter
    "JOBS_LOCK_WAIT_SECONDS": 5,    # a run whose scope is busy is re-queued after this
    "JOBS_LOCK_MAX_WAITS": 180,     # ... at most this many times, then skipped
    "JOBS_WEBHOOK_MAX_BYTES": 4 * 1024 * 1024,
    "JOBS_WEBHOOK_DEDUPE_SECONDS": 30,
    "JOBS_MIN_DURATION_SECONDS": 60,
    "JOBS_EXTRA_MODULES": (),       # more modules that register jobs (tests use this)
}


def get(name: str):
    return getattr(settings, name, DEFAULTS[name])
