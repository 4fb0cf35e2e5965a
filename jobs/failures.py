"""Turn an exception from a job into (reason code, sentence, transient?).

Vault clients raise typed errors carrying the service and whether a retry can help; anything
else from the HTTP stack is recognised by type, and the rest is a plain error.
"""

from __future__ import annotations

from dataclasses import dataclass

from jobs.errors import JobFailed
from vault.clients.errors import is_transport_error

SERVICE_NAMES = {"plex": "Plex", "plextv": "plex.tv", "tmdb": "TMDB", "openai": "OpenAI",
                 "google": "Google", "radarr": "Radarr", "sonarr": "Sonarr",
                 "overseerr": "Overseerr"}


@dataclass(frozen=True)
class Failure:
    code: str
    sentence: str
    transient: bool


def service_of(exc: BaseException) -> str:
    name = str(getattr(exc, "service", "") or "")
    if not name:
        module = type(exc).__module__
        if module.startswith("plexapi"):
            name = "plex"
        elif module.startswith("tmdbv3api"):
            name = "tmdb"
        elif module.startswith("openai"):
            name = "openai"
    return name.lower()


def describe(exc: BaseException) -> Failure:
    service = service_of(exc)
    if getattr(exc, "internal", False):  # vault.clients.errors.InternalError: says it all
        return Failure("internal_error", str(exc)[:400], False)
    label = SERVICE_NAMES.get(service, service.capitalize() if service else "")
    transient = getattr(exc, "transient", None)
    if transient is None:
        transient = is_transport_error(exc)
    detail = str(exc).strip() or type(exc).__name__
    if label and label.lower() not in detail.lower():
        detail = f"{label}: {detail}"
    if service:
        code = f"{service}_unavailable" if transient else f"{service}_error"
    else:
        code = "service_unavailable" if transient else "error"
    if label and hasattr(exc, "service"):
        sentence = detail[:400]  # the vault's typed errors already speak to the user
    elif label:
        verb = "could not be reached" if transient else "answered with an error"
        sentence = f"{label} {verb} ({detail[:300]})."
    elif transient:
        sentence = f"The job stopped on an error: {detail[:300]}."
    else:  # neither a service's failure nor a network one: a bug of ours
        what = str(exc).strip()[:300]
        code = "internal_error"
        sentence = (f"Internal error: {type(exc).__name__}{': ' + what if what else ''}"
                    f" — see the log.")
    return Failure(code, sentence, bool(transient))


def seed_lookup_failure(exc: Exception) -> Exception:
    """What a job raises when TMDB failed while looking its seed up (not "no match").

    A typed service error goes to the runner as is: it becomes `tmdb_unavailable` (re-queued
    within the job's retry budget when transient) or `tmdb_error`, with the client's sentence.
    The run's TMDB request budget running out is not worth a retry."""
    if getattr(exc, "service", None):
        return exc
    return JobFailed("tmdb_budget_spent", f"TMDB could not look the seed up: {exc}.")
