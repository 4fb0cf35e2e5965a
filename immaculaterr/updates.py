"""The update check: is a newer release out than the version running here?

The latest release comes from UPDATE_CHECK_URL (GitHub's releases API shape) through the
Vault's releases client, cached for an hour (a failure for ten minutes) in Django's cache, so
pages read only the cache and the one slow request happens in an htmx fragment. When the
hour is over, one caller takes a lock (an atomic cache add) and asks; page loads meanwhile read
the previous answer, kept a week, or hear that the check is under way: never a stampede.
UPDATE_CHECK_ENABLED=false turns it off: no request is made at all.
"""

from __future__ import annotations

import logging
import re
import secrets
from dataclasses import asdict, dataclass
from importlib import metadata

from django.conf import settings
from django.core.cache import cache

from vault.clients.errors import ServiceError
from vault.clients.releases import latest

log = logging.getLogger(__name__)
CACHE_KEY = "immaculaterr:update-check:v1"
PREVIOUS_KEY = "immaculaterr:update-check:previous:v1"
LOCK_KEY = "immaculaterr:update-check:lock:v1"
FAILURE_SECONDS = 10 * 60
PREVIOUS_SECONDS = 7 * 24 * 3600
ASKING = "Another page is asking the releases server right now."
_VERSION = re.compile(r"^[vV]?(\d+(?:\.\d+)*)(?:[-_.]?([a-zA-Z]+)[-_.]?(\d*))?(?:\+.*)?$")
# Pre-release words in their order; a final release sorts after all of them.
_PRE = {"dev": 0, "a": 1, "alpha": 1, "b": 2, "beta": 2, "pre": 3, "preview": 3, "c": 3,
        "rc": 3}


def current_version() -> str:
    try:
        return metadata.version("immaculaterr")
    except metadata.PackageNotFoundError:
        return settings.VERSION


def parse(text: str) -> tuple | None:
    """A sortable key for "v1.2.3", "1.2", "1.3.0-rc.1", "2.0.0b2+build"; None if unknown."""
    found = _VERSION.match(str(text).strip())
    if not found or (found[2] and found[2].lower() not in _PRE):
        return None
    release = tuple(int(n) for n in found[1].split("."))
    release += (0,) * (4 - len(release))
    pre = (_PRE[found[2].lower()], int(found[3] or 0)) if found[2] else (9, 0)
    return release + pre


def is_newer(candidate: str, running: str) -> bool | None:
    new, old = parse(candidate), parse(running)
    return None if new is None or old is None else new > old


def display(tag: str) -> str:
    return tag[1:] if tag[:1] in "vV" and tag[1:2].isdigit() else tag


@dataclass(frozen=True)
class Check:
    state: str  # newer | current | unknown | off
    current: str
    latest: str = ""
    url: str = ""
    message: str = ""

    @property
    def newer(self) -> bool:
        return self.state == "newer"


def _fetch(running: str) -> tuple[Check, int]:
    try:
        release = latest(settings.UPDATE_CHECK_URL, settings.UPDATE_CHECK_TOKEN,
                         settings.UPDATE_CHECK_TIMEOUT)
    except ServiceError as exc:
        log.info("Update check failed: %s", exc)
        return Check("unknown", running, message=str(exc)), FAILURE_SECONDS
    newer = is_newer(release.tag, running)
    if newer is None:
        return Check("unknown", running, display(release.tag), release.url,
                     f"The latest release is tagged “{release.tag[:40]}”, which does not "
                     f"read as a version number."), FAILURE_SECONDS
    state = "newer" if newer else "current"
    return Check(state, running, display(release.tag), release.url), 3600


def _read(key: str, running: str) -> Check | None:
    found = cache.get(key)
    if not isinstance(found, dict) or found.get("current") != running:
        return None
    return Check(**found)


def cached() -> Check | None:
    """What the cache knows, without any request (None: not checked lately)."""
    running = current_version()
    if not settings.UPDATE_CHECK_ENABLED:
        return Check("off", running)
    return _read(CACHE_KEY, running)


def check() -> Check:
    """The cached answer, or one request to the releases server (at most one an hour, and one
    at a time: whoever does not hold the lock gets the previous answer or "under way")."""
    found = cached()
    if found is not None:
        return found
    running, token = current_version(), secrets.token_hex(8)
    # Held a little longer than the request may take; a holder that died frees it then.
    if not cache.add(LOCK_KEY, token, timeout=int(settings.UPDATE_CHECK_TIMEOUT) + 30):
        return _read(PREVIOUS_KEY, running) or Check("unknown", running, message=ASKING)
    try:
        found = cached()  # a holder that finished just before we took the lock
        if found is not None:
            return found
        result, seconds = _fetch(running)
        cache.set(CACHE_KEY, asdict(result), seconds)
        if result.state != "unknown":
            cache.set(PREVIOUS_KEY, asdict(result), PREVIOUS_SECONDS)
        return result
    finally:
        if cache.get(LOCK_KEY) == token:
            cache.delete(LOCK_KEY)
