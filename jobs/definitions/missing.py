"""The missing-titles step: picks not in Plex go on to Radarr/Sonarr or Overseerr, per the
task's routing. A service failure never fails the run: its card says failed, the run ends
partial, and the dataset and rows come out as they would without that service."""

from __future__ import annotations

from collections import Counter

from jobs.context import JobContext
from jobs.models import JobSetting
from recommendations.missing.routing import Missing, Routing
from recommendations.missing.send import send_missing
from recommendations.models import SendState
from vault.clients.errors import name_of

MEDIA_TYPE = {"movie": "movie", "show": "show", "tv": "show"}


def routing_for(job: str) -> Routing:
    setting = JobSetting.of(job)
    return Routing(fetch_missing=bool(setting.fetch_missing), route=setting.route or "direct",
                   approval=bool(setting.approval), search_now=bool(setting.search_now))


def as_missing(pick) -> Missing:
    return Missing(tmdb_id=pick.tmdb_id, title=pick.title, year=pick.year,
                   tvdb_id=getattr(pick, "tvdb_id", None),
                   poster_path=getattr(pick, "poster_path", "") or "",
                   why=getattr(pick, "why", "") or "")


WOULD = (SendState.SENT, SendState.REMONITORED)  # on a dry run these did not happen


def summary_of(lines: list[dict], dry_run: bool = False) -> str:
    """"3 sent to Radarr, 1 waiting for approval" ("3 would be sent to Radarr" when dry)."""
    counts = Counter((line.get("state", ""), line.get("service", "")) for line in lines)
    parts = []
    for (state, service), n in sorted(counts.items()):
        label = SendState(state).label.lower() if state in SendState.values else str(state)
        label = f"would be {label}" if dry_run and state in WOULD else label
        where = f" to {name_of(service)}" if state == SendState.SENT else ""
        parts.append(f"{n} {label}{where}")
    return ", ".join(parts)


def send_missing_titles(ctx: JobContext, viewer, library, media: str, picks, task: str) -> str:
    """Send the picks without a rating_key; returns a sentence for the run summary."""
    routing = routing_for(ctx.job)
    titles = [as_missing(p) for p in picks if getattr(p, "rating_key", None) is None]
    if not routing.fetch_missing or not titles:
        return ""
    scope = f"{getattr(viewer, 'name', '')} · {getattr(library, 'title', '')}"
    with ctx.report.step("missing titles" + (" (dry run)" if ctx.dry_run else ""),
                         titles=len(titles)) as counts:
        outcome = send_missing(viewer, library, MEDIA_TYPE.get(media, media), titles, task,
                               routing, ctx.dry_run)
        for line in outcome.lines:
            ctx.report.send(dict(line, scope=line.get("scope") or scope))
        for name, card in outcome.services.items():
            ctx.report.service(name, card.get("status", "ok"), card.get("detail", ""))
        counts["writes"] = outcome.writes
    return summary_of(outcome.lines, ctx.dry_run)
