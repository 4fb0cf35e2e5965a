"""The one HTTP helper every client stands on (nothing else imports requests, except plextv.py).

- one pooled session per service, reused across calls;
- a timeout on every request (`VAULT_HTTP_TIMEOUT` seconds, default 15);
- bounded retries with exponential backoff and jitter on connection errors, read timeouts of
  idempotent requests, 429 and 5xx, honouring Retry-After up to `VAULT_HTTP_MAX_WAIT` seconds;
- typed errors (vault.clients.errors) with sentences a user understands.

`JsonApi` is the small JSON client Google, Radarr, Sonarr and Overseerr use; Plex (plexapi) and
TMDB (tmdbv3api) get a session from `session()` and map their own errors.
"""

from __future__ import annotations

import logging
import os
import threading
from urllib.parse import urljoin, urlsplit

import requests
from django.conf import settings
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from vault.clients.errors import ServiceError, for_status, from_exception, malformed
from vault.clients.plextv import PlexTvSession

log = logging.getLogger(__name__)
RETRY_STATUSES = (429, 500, 502, 503, 504)
USER_AGENT = "Immaculaterr"


class _QuietRetries(logging.Filter):
    """urllib3 warns on every retry it makes; the caller's typed error reports the outcome, so
    the retries themselves are shown only when urllib3 is logged at DEBUG (with a service
    down, a 5 s poll otherwise wrote several warnings every poll)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno == logging.WARNING and str(record.msg).startswith("Retrying"):
            return logging.getLogger(record.name).isEnabledFor(logging.DEBUG)
        return True


_urllib3_log = logging.getLogger("urllib3.connectionpool")
if not any(isinstance(f, _QuietRetries) for f in _urllib3_log.filters):
    _urllib3_log.addFilter(_QuietRetries())


def timeout() -> float:
    return float(getattr(settings, "VAULT_HTTP_TIMEOUT", 15))


def retries() -> int:
    return int(getattr(settings, "VAULT_HTTP_RETRIES", 3))


def backoff() -> float:
    return float(getattr(settings, "VAULT_HTTP_BACKOFF", 0.5))


def max_wait() -> float:
    return float(getattr(settings, "VAULT_HTTP_MAX_WAIT", 30))


class BoundedRetry(Retry):
    """urllib3's Retry, but a Retry-After longer than the cap is cut to the cap (the caller
    then sees the 429 and reports when to come back)."""

    def get_retry_after(self, response):
        wait = super().get_retry_after(response)
        return None if wait is None else min(wait, max_wait())


def retry_policy() -> Retry:
    n = retries()
    return BoundedRetry(total=n, connect=n, read=min(n, 1), status=n, other=0,
                        backoff_factor=backoff(), backoff_jitter=backoff() / 2,
                        backoff_max=max_wait(), status_forcelist=RETRY_STATUSES,
                        respect_retry_after_header=True, raise_on_status=False,
                        raise_on_redirect=False)


def open_transaction() -> bool:
    """Whether the calling thread holds a database transaction (a test case's own wrapping
    transaction does not count)."""
    from django.db import connection

    return any(not getattr(block, "_from_testcase", False)
               for block in connection.atomic_blocks) or (
        connection.in_atomic_block and not connection.atomic_blocks)


def before_request(service: str, method: str, url: str) -> None:
    """Every outgoing request passes here (requests sessions and the OpenAI SDK's client).
    None may leave inside a transaction: on SQLite that holds the database-wide write lock
    for as long as the remote server takes. Logged always; raised when
    VAULT_HTTP_STRICT_TRANSACTIONS (default: DEBUG)."""
    if not open_transaction():
        return
    log.warning("HTTP %s %s (%s) sent inside a database transaction", method, url[:120],
                service)
    if getattr(settings, "VAULT_HTTP_STRICT_TRANSACTIONS", settings.DEBUG):
        raise AssertionError(f"{service}: HTTP request inside a database transaction")


class _Defaults:
    """Mixin: a timeout on every request unless the caller gives one, and the environment's
    proxy settings read once per host."""

    default_timeout: float = 15.0
    service: str = ""

    def request(self, method, url, *args, **kwargs):
        before_request(self.service, method, str(url))
        if kwargs.get("timeout") is None:
            kwargs["timeout"] = self.default_timeout
        return super().request(method, url, *args, **kwargs)

    def merge_environment_settings(self, url, proxies, stream, verify, cert):
        """requests' own merge, with what it reads from the environment kept per scheme, host
        and no_proxy. requests walks the whole of os.environ for the proxy variables on every
        request (~1.5 ms each on a worker's environment; 12% of a row sweep's time), and a
        running process's environment does not change under it."""
        if not self.trust_env:
            return super().merge_environment_settings(url, proxies, stream, verify, cert)
        no_proxy = proxies.get("no_proxy") if proxies is not None else None
        scheme, host = urlsplit(url)[:2]
        key = (scheme, host, no_proxy)
        found = _environment.get(key)
        if found is None:
            found = (requests.utils.get_environ_proxies(url, no_proxy=no_proxy),
                     os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE"))
            _environment[key] = found
        env_proxies, env_bundle = found
        if proxies is not None:
            for name, value in env_proxies.items():
                proxies.setdefault(name, value)
        if verify is True or verify is None:
            verify = env_bundle or verify
        merge = requests.sessions.merge_setting
        return {"proxies": merge(proxies, self.proxies), "stream": merge(stream, self.stream),
                "verify": merge(verify, self.verify), "cert": merge(cert, self.cert)}


_environment: dict[tuple, tuple[dict, str | None]] = {}


class PooledSession(_Defaults, requests.Session):
    pass


class PlexPooledSession(_Defaults, PlexTvSession):
    """Plex and plex.tv: plexapi's plex.tv calls go to settings.PLEX_TV_URL."""


_sessions: dict[tuple, requests.Session] = {}
_lock = threading.Lock()


def session(service: str) -> requests.Session:
    """The pooled session of a service (rebuilt when the retry/timeout settings change)."""
    plextv = settings.PLEX_TV_URL if service in ("plex", "plextv") else None
    key = (service, plextv, timeout(), retries(), backoff(), max_wait())
    with _lock:
        found = _sessions.get(key)
        if found is None:
            found = PlexPooledSession(plextv) if plextv else PooledSession()
            found.default_timeout, found.service = timeout(), service
            found.headers["User-Agent"] = USER_AGENT
            adapter = HTTPAdapter(pool_connections=4, pool_maxsize=10,
                                  max_retries=retry_policy())
            found.mount("http://", adapter)
            found.mount("https://", adapter)
            _sessions[key] = found
        return found


def retry_after(response) -> float | None:
    raw = response.headers.get("Retry-After", "")
    try:
        return float(raw)
    except ValueError:
        return None


def check(service: str, response, detail: str = "") -> None:
    """Raise the typed error for a non-success answer."""
    if response.status_code < 400:
        return
    raise for_status(service, response.status_code, retry_after=retry_after(response),
                     detail=detail or _provider_message(response))


def _provider_message(response) -> str:
    """A short reason from a 400/409/422 body (validation messages), never for auth errors."""
    if response.status_code in (401, 403, 404) or response.status_code >= 429:
        return ""
    try:
        body = response.json()
    except ValueError:
        return ""
    if isinstance(body, list) and body and isinstance(body[0], dict):
        body = body[0]
    if not isinstance(body, dict):
        return ""
    for key in ("errorMessage", "message", "status_message", "error", "title"):
        value = body.get(key)
        if isinstance(value, dict):
            value = value.get("message")
        if isinstance(value, str) and value:
            return value[:200]
    return ""


class JsonApi:
    """A JSON API under `base_url`: auth headers/params, typed errors, a request count."""

    def __init__(self, service: str, base_url: str, *, headers: dict | None = None,
                 params: dict | None = None):
        self.service = service
        self.base_url = base_url.rstrip("/") + "/"
        self.headers = headers or {}
        self.params = params or {}
        self.requests = 0

    def url(self, path: str) -> str:
        if not path:
            return self.base_url.rstrip("/")
        return urljoin(self.base_url, path.lstrip("/"))

    def call(self, method: str, path: str, *, params: dict | None = None, json=None,
             expect: type | tuple = (dict, list), not_found: str = ""):
        session_ = session(self.service)
        self.requests += 1
        try:
            response = session_.request(method, self.url(path),
                                        params={**self.params, **(params or {})},
                                        json=json, headers=self.headers)
        except Exception as exc:  # noqa: BLE001 - becomes a typed error
            raise from_exception(self.service, exc, timeout()) from exc
        check(self.service, response, detail=not_found if response.status_code == 404 else "")
        if response.status_code == 204 or not response.content:
            return None
        try:
            body = response.json()
        except ValueError as exc:
            raise malformed(self.service, "not valid JSON") from exc
        if expect and not isinstance(body, expect):
            raise malformed(self.service, "not the expected shape")
        return body

    def get(self, path: str, **kwargs):
        return self.call("GET", path, **kwargs)

    def post(self, path: str, **kwargs):
        return self.call("POST", path, **kwargs)

    def put(self, path: str, **kwargs):
        return self.call("PUT", path, **kwargs)

    def delete(self, path: str, **kwargs):
        return self.call("DELETE", path, **kwargs)


__all__ = ["JsonApi", "ServiceError", "session", "check", "timeout"]
