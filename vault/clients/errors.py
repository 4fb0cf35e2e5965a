"""Typed errors every client raises: each knows its service, whether it is worth retrying, and
says in one sentence what went wrong. `str(err)` is shown to the user as is, so a message must
never carry a secret, a full URL with its query string, or a provider's raw error text for auth
failures (OpenAI echoes part of the key)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit
from xml.etree.ElementTree import ParseError

NAMES = {"plex": "Plex", "plextv": "plex.tv", "tmdb": "TMDB", "openai": "OpenAI",
         "google": "Google Programmable Search", "radarr": "Radarr", "sonarr": "Sonarr",
         "overseerr": "Overseerr"}
CREDENTIALS = {"plex": "token", "plextv": "token"}  # every other service: its API key


def name_of(service: str) -> str:
    return NAMES.get(service, service)


def credential_of(service: str) -> str:
    return CREDENTIALS.get(service, "API key")


class ServiceError(Exception):
    """A failure talking to an outside service; `str()` is the user's sentence."""

    transient = False

    def __init__(self, service: str, message: str, *, status: int | None = None,
                 retry_after: float | None = None):
        super().__init__(message)
        self.service = service
        self.message = message
        self.status = status
        self.retry_after = retry_after

    def __str__(self) -> str:
        return self.message


class AuthError(ServiceError):
    """The credential was refused (401/403)."""


class NotFoundError(ServiceError):
    """The address or the thing asked for does not exist (404)."""


class UnavailableError(ServiceError):
    """Timeouts, refused connections, 429 and 5xx: worth trying again later."""

    transient = True


class BadResponseError(ServiceError):
    """An answer that could not be read, or not the shape expected."""


class NotConfigured(ServiceError):
    """The service is disabled or lacks a setting."""


class AnswerError(ServiceError):
    """A structured-output answer that cannot be used. `str()` is a few words for a report
    ("timeout", "HTTP 429", "the model refused"), not a sentence: the caller falls back on
    its own result and only notes why."""

    def __init__(self, service: str, reason: str, *, status: int | None = None):
        super().__init__(service, reason, status=status)


class InternalError(Exception):
    """A bug of ours met while talking to a service (a KeyError, a TypeError…): not the
    service's failure. `str()` says so and points at the log, where the traceback is."""

    internal = True
    transient = False

    def __init__(self, exc: BaseException, doing: str = ""):
        what = f" while {doing}" if doing else ""
        detail = str(exc).strip()[:200]
        detail = f"{type(exc).__name__}: {detail}" if detail else type(exc).__name__
        super().__init__(f"Internal error{what}: {detail} — see the log.")
        self.step = doing


def not_configured(service: str, missing: str = "") -> NotConfigured:
    what = f" (missing: {missing})" if missing else ""
    return NotConfigured(service, f"{name_of(service)} is not set up{what}. "
                                  f"Fill it in and save it in the Vault.")


def for_status(service: str, status: int, *, retry_after: float | None = None,
               detail: str = "") -> ServiceError:
    """The typed error for an HTTP status that is not a success."""
    name, cred = name_of(service), credential_of(service)
    if status in (401, 403):
        return AuthError(service, f"{name} refused the {cred} ({status}). "
                                  f"Check the {cred} in the Vault.", status=status)
    if status == 404:
        what = detail or "the address it was asked for; check the URL in the Vault"
        return NotFoundError(service, f"{name} answered 404 (not found) for {what}.",
                             status=status)
    if status == 429:
        wait = f" Try again in {int(retry_after)} seconds." if retry_after else \
            " Try again in a minute."
        return UnavailableError(service, f"{name} is rate limiting requests (429).{wait}",
                                status=status, retry_after=retry_after)
    if status >= 500:
        return UnavailableError(service, f"{name} had a server error ({status}); "
                                         f"try again later.", status=status)
    extra = f": {detail}" if detail else "."
    return BadResponseError(service, f"{name} rejected the request ({status}){extra}",
                            status=status)


def _host(exc: Exception) -> str:
    request = getattr(exc, "request", None)
    url = str(getattr(request, "url", "") or "")
    parts = urlsplit(url)
    return f" at {parts.scheme}://{parts.netloc}" if parts.netloc else ""


def from_transport(service: str, exc: Exception, timeout: float | None = None) -> ServiceError:
    """Timeouts and connection failures from requests/httpx, in the user's words."""
    name = name_of(service)
    kind, text = type(exc).__name__.lower(), str(exc).lower()
    # after urllib3's retries a read timeout arrives as ConnectionError("… Read timed out")
    if "timeout" in kind or "timed out" in text:
        within = f" within {timeout:g} seconds" if timeout else " in time"
        return UnavailableError(service, f"{name} did not answer{within}{_host(exc)}.")
    if "refused" in text:
        why = "the connection was refused"
    elif "name or service not known" in text or "nodename" in text or "resolve" in text:
        why = "the host name could not be resolved"
    elif "ssl" in text or "certificate" in text:
        why = "the TLS/SSL handshake failed"
    else:
        why = "the connection failed or was closed"
    return UnavailableError(service, f"Could not reach {name}{_host(exc)}: {why}.")


def malformed(service: str, what: str = "") -> BadResponseError:
    name = name_of(service)
    detail = f" ({what})" if what else ""
    return BadResponseError(service, f"{name} sent an answer that could not be read{detail}. "
                                     f"Check that the URL points at {name}.")


_PLEX_STATUS = re.compile(r"^\((\d{3})\)")


def from_exception(service: str, exc: Exception, timeout: float | None = None) -> ServiceError:
    """Map any exception a client library raises to a typed error (never its raw text)."""
    if isinstance(exc, ServiceError):
        return exc
    from plexapi import exceptions as plex_errors

    if isinstance(exc, plex_errors.Unauthorized):
        return for_status(service, 401)
    if isinstance(exc, plex_errors.NotFound):
        return for_status(service, 404, detail="the item or address it was asked for")
    if isinstance(exc, plex_errors.BadRequest):
        match = _PLEX_STATUS.match(str(exc))
        return for_status(service, int(match[1])) if match else malformed(service)
    if isinstance(exc, (ParseError, json.JSONDecodeError, UnicodeDecodeError)):
        return malformed(service, "not valid XML" if isinstance(exc, ParseError)
                         else "not valid JSON")
    import requests

    if isinstance(exc, requests.exceptions.JSONDecodeError):
        return malformed(service, "not valid JSON")
    if isinstance(exc, (requests.exceptions.Timeout, requests.exceptions.ConnectionError)):
        return from_transport(service, exc, timeout)
    if isinstance(exc, requests.exceptions.RequestException):
        return UnavailableError(service, f"{name_of(service)} could not be reached"
                                         f"{_host(exc)}: the request failed.")
    return BadResponseError(service, f"{name_of(service)} answered in an unexpected way "
                                     f"({type(exc).__name__}).")


def is_service_failure(exc: BaseException) -> bool:
    """Whether `exc` is a service's doing (a typed error, an HTTP/transport failure, an answer
    that could not be parsed) rather than a bug of ours."""
    if isinstance(exc, (ServiceError, ParseError, json.JSONDecodeError, UnicodeDecodeError,
                        OSError)):  # OSError: sockets, ConnectionError, TimeoutError
        return True
    import requests
    import urllib3
    from plexapi import exceptions as plex_errors

    return isinstance(exc, (plex_errors.PlexApiException, requests.RequestException,
                            urllib3.exceptions.HTTPError))


def is_transport_error(exc: BaseException) -> bool:
    """Whether `exc` is a dropped, refused or timed-out connection (requests' or the standard
    library's): the kind a later retry may cure."""
    import requests

    return isinstance(exc, (requests.ConnectionError, requests.Timeout, ConnectionError,
                            TimeoutError))


@contextmanager
def translate(service: str, timeout: float | None = None) -> Iterator[None]:
    """Turn whatever a client library raises inside the block into a typed error."""
    try:
        yield
    except ServiceError:
        raise
    except Exception as exc:  # noqa: BLE001 - every failure becomes a typed error
        raise from_exception(service, exc, timeout) from exc
