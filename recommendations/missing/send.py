"""Send a run's missing titles on: Radarr/Sonarr directly, or Overseerr; once per route."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from recommendations.missing import ledger
from recommendations.missing.direct import Direct
from recommendations.missing.outcome import Result
from recommendations.missing.routing import Missing, Routing
from recommendations.missing.seerr import Seerr
from recommendations.models import Route, SendState
from vault import integrations
from vault.clients import factory
from vault.clients.errors import AuthError, NotConfigured, ServiceError, is_transport_error, name_of

COUNTED = ((SendState.SENT, "sent"), (SendState.ALREADY_THERE, "already there"),
           (SendState.REMONITORED, "monitored again"),
           (SendState.AWAITING_APPROVAL, "waiting for approval"), (SendState.FAILED, "failed"))


API_ROOT = {Route.RADARR: "/api/v3/", Route.SONARR: "/api/v3/", Route.OVERSEERR: "/api/v1/"}


@dataclass
class SendOutcome:
    lines: list[dict] = field(default_factory=list)
    services: dict[str, dict] = field(default_factory=dict)
    writes: int = 0


def route_for(media_type: str, routing: Routing) -> str:
    if routing.route == "overseerr":
        return Route.OVERSEERR
    return Route.RADARR if media_type == "movie" else Route.SONARR


def fault_sentence(service: str, exc: BaseException, waiting: int) -> str:
    name = name_of(service)
    if isinstance(exc, AuthError) and exc.status == 401:
        why = f"{name} refused the API key."
    elif isinstance(exc, ServiceError):
        why = str(exc).rstrip(".") + "."
    else:
        why = f"{name} is unreachable ({type(exc).__name__})."
    if name not in why:
        why = f"{name}: {why}"
    return f"{why} {waiting} title{'s' if waiting != 1 else ''} wait for the next run."


def is_fault(exc: BaseException) -> bool:
    """Worth trying next run: down, timeout, 429, 5xx, a refused key, missing settings."""
    return (getattr(exc, "transient", False) or is_transport_error(exc)
            or isinstance(exc, (AuthError, NotConfigured)))


def season_policy() -> str:
    """Sonarr's "seasons to monitor", which Overseerr TV requests follow too."""
    try:
        return integrations.get_config("sonarr").values.get("season_monitor") or "all"
    except Exception:  # noqa: BLE001 - unreadable secrets: the plain default
        return "all"


def sender(route: str, search_now: bool, task: str, dry_run: bool):
    """The run's sender for `route`; raises ServiceError when it cannot be used at all."""
    if route == Route.OVERSEERR:
        return Seerr(factory.overseerr(), season_policy(), dry_run)
    client = factory.radarr() if route == Route.RADARR else factory.sonarr()
    direct = Direct(client, task, search_now, dry_run)
    direct.check()
    return direct


def line(route: str, missing: Missing, result: Result, dry_run: bool) -> dict:
    out = {"service": route, "title": missing.title, "year": missing.year,
           "tmdb_id": missing.tmdb_id, "tvdb_id": missing.tvdb_id, "state": str(result.state),
           "sentence": result.sentence}
    if dry_run and result.request:  # the path as the service's API documents it
        out["request"] = dict(result.request, path=API_ROOT[route] + result.request["path"])
    return out


def card(counts: Counter, fault: str = "", earlier: int = 0, dry_run: bool = False) -> dict:
    would = (SendState.SENT, SendState.REMONITORED) if dry_run else ()
    detail = ", ".join(f"{counts[state]} {'would be ' if state in would else ''}{words}"
                       for state, words in COUNTED
                       if counts[state] or state != SendState.AWAITING_APPROVAL)
    if earlier:  # said, so a run that sends nothing new does not look like it did nothing
        handled = f"{earlier} title{'s' if earlier != 1 else ''} handled by an earlier run"
        detail = f"{detail}; {handled}" if counts else f"Nothing new: {handled}."
    if fault:
        return {"status": "failed", "detail": f"{fault} ({detail})"}
    return {"status": "failed" if counts[SendState.FAILED] else "ok", "detail": detail}


def attempt(send, missing: Missing, media_type: str, viewer) -> Result:
    """One title through `send`; faults propagate, a refusal is a failed line."""
    try:
        return send.send(missing, media_type, viewer)
    except ServiceError as exc:
        if is_fault(exc):
            raise
        return Result(SendState.FAILED, f"{name_of(exc.service)} refused it: {exc}")


def fields(result: Result, reason: str = "") -> dict:
    return {"reason": (reason or (result.sentence if result.state == SendState.FAILED
                                  else ""))[:500],
            "service_id": result.service_id, "added_by_us": result.added_by_us,
            "requested_as": result.requested_as,
            "requested_as_name": result.requested_as_name[:200], "answer": result.answer}


def wanted(viewer, media_type: str, titles: list[Missing], route: str) -> list[Missing]:
    seen: set[int] = set()
    out = []
    for m in titles:
        if m.tmdb_id in seen or ledger.settled(viewer, media_type, m.tmdb_id, route):
            continue
        seen.add(m.tmdb_id)
        out.append(m)
    return out


def send_missing(viewer, library, media_type: str, titles: list[Missing], task: str,
                 routing: Routing, dry_run: bool) -> SendOutcome:
    outcome = SendOutcome()
    if not routing.fetch_missing:
        return outcome
    route = route_for(media_type, routing)
    pending = wanted(viewer, media_type, titles, route)
    earlier = len({m.tmdb_id for m in titles}) - len(pending)
    counts: Counter = Counter()
    keep = (viewer, library, media_type)
    if routing.approval and route != Route.OVERSEERR:
        waiting = Result(SendState.AWAITING_APPROVAL, "Waiting for approval in the Observatory.")
        for m in pending:
            if not dry_run:
                ledger.record(*keep, m, task, route, waiting.state,
                              search_now=routing.search_now)
            counts[waiting.state] += 1
            outcome.lines.append(line(route, m, waiting, dry_run))
        outcome.services[name_of(route)] = card(counts, earlier=earlier)
        return outcome
    fault = ""
    try:
        send = sender(route, routing.search_now, task, dry_run) if pending else None
    except ServiceError as exc:
        send, fault = None, fault_sentence(route, exc, len(pending))
    for i, m in enumerate(pending):
        if send is not None:
            try:
                result = attempt(send, m, media_type, viewer)
            except Exception as exc:
                if not (is_fault(exc) or isinstance(exc, ServiceError)):
                    raise
                send, fault = None, fault_sentence(route, exc, len(pending) - i)
        if send is None:
            result = Result(SendState.TO_SEND, fault)
        if not dry_run:
            ledger.record(*keep, m, task, route, result.state, search_now=routing.search_now,
                          **fields(result, fault if send is None else ""))
            outcome.writes += bool(result.request) and result.state != SendState.ALREADY_THERE
        counts[result.state] += 1
        outcome.lines.append(line(route, m, result, dry_run))
    if pending or earlier:
        outcome.services[name_of(route)] = card(counts, fault, earlier, dry_run)
    return outcome
