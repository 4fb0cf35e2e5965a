"""A run's report as readable text (run_job prints it)."""

from __future__ import annotations

import json
from collections import Counter

from jobs import registry
from jobs.models import JobRun

SERVICES = (("radarr", "Radarr"), ("sonarr", "Sonarr"), ("overseerr", "Overseerr"))
# In the order a card counts them; the labels are what the admin reads.
STATES = (("sent", "sent"), ("already_there", "already there"),
          ("remonitored", "monitored again"), ("awaiting_approval", "waiting for approval"),
          ("to_send", "to send"), ("failed", "failed"), ("rejected", "rejected"))
STATE_LABELS = dict(STATES)


def send_cards(report: dict) -> list[dict]:
    """One card per service a run sent (or would send) missing titles to: its status line from
    report["services"], counts by state and each title's line; [] for reports without sends."""
    sends = [s for s in (report or {}).get("sends") or [] if isinstance(s, dict)]
    status = {c.get("name"): c for c in (report or {}).get("services") or []
              if isinstance(c, dict)}
    tallies = (report or {}).get("send_counts") or {}
    cards = []
    for key, name in SERVICES:
        mine = [s for s in sends if s.get("service") == key]
        # The tally counts every send, also those a long run's report no longer lists.
        counted = tallies.get(key) or Counter(s.get("state") for s in mine)
        if not mine and not counted:
            continue
        cards.append({"key": key, "name": name, "status": status.get(name, {}),
                      "counts": [(label, counted.get(state, 0)) for state, label in STATES
                                 if counted.get(state) or state in ("sent", "failed")],
                      "items": [_send(s) for s in mine],
                      "left_out": max(0, sum(counted.values()) - len(mine))})
    return cards


def _send(s: dict) -> dict:
    year = f" ({s['year']})" if s.get("year") else ""
    item = {"title": f"{s.get('title') or 'A title'}{year}", "state": s.get("state", ""),
            "label": STATE_LABELS.get(s.get("state"), str(s.get("state", "")).replace("_", " ")),
            "sentence": s.get("sentence") or "", "scope": s.get("scope") or ""}
    request = s.get("request")
    if isinstance(request, dict):
        item["request"] = {"line": f"{request.get('method', '')} {request.get('path', '')}",
                           # keys sorted: PostgreSQL's jsonb keeps no order, so show one
                           "body": json.dumps(request.get("body"), indent=2, sort_keys=True,
                                              ensure_ascii=False)}
    return item


def sent_by_us(report: dict) -> set[str]:
    """Service card names that a send card shows instead."""
    return {card["name"] for card in send_cards(report)}


# A step's or scope's counts are named by their report keys; these read badly as they are.
COUNT_NAMES = {"in_plex": "in Plex", "rows_changed": "rows changed"}


def count_name(key: str) -> str:
    """What a count is called on a page or in run_job's text: "in Plex", not "in_plex"."""
    return COUNT_NAMES.get(key) or str(key).replace("_", " ")


def _counts(counts: dict) -> str:
    return ", ".join(f"{count_name(k)} {v}" for k, v in (counts or {}).items())


def render_text(run: JobRun) -> str:
    report = run.report or {}
    more = (report.get("left_out") or {}).get
    out = [f"Run #{run.pk} {run.job}: {run.status.upper()}"
           f"{' (dry run: nothing was written)' if run.dry_run else ''}",
           f"  scope: {run.scope_label}" + (f" · seed: {run.seed_title}" if run.seed_title
                                            else "")]
    if run.reason:
        out.append(f"  reason: {run.reason_code}: {run.reason}")
    if report.get("summary"):
        out.append(f"  {report['summary']}")
    out += _section("Steps", [f"{s['name']}: {s['status']} in {s['duration_ms']} ms"
                              + (f" ({_counts(s.get('counts'))})" if s.get("counts") else "")
                              for s in report.get("steps", [])] + _more(more("steps"), "steps"))
    out += _section("Services", [f"{c['name']}: {c['status'].replace('_', ' ')}"
                                 + (f" ({c['detail']})" if c.get("detail") else "")
                                 for c in report.get("services", [])])
    for card in send_cards(report):
        out += _sends(card, run.dry_run)
    for lst in report.get("lists", []):
        out += _section(f"{lst['title']}{' · ' + lst['scope'] if lst.get('scope') else ''}",
                        [f"{i}. {_item(item)}" for i, item in
                         enumerate(lst.get("items", []), start=1)]
                        + _more(lst.get("items_left_out"), "titles"))
    out += _section("More lists", _more(more("lists"), "lists not kept in this report"))
    out += _section("Plex plan" + (" (not applied)" if run.dry_run else ""),
                    [_plan(p) for p in report.get("plan", [])] + _more(more("plan"), "rows"))
    out += _section("Skipped", [f"{s['code']}: {s['reason']}" + (f" [{s['scope']}]" if
                                                                   s.get("scope") else "")
                                for s in report.get("skips", [])] + _more(more("skips"), ""))
    out += _section("Viewers and libraries", [
        f"{s['scope']}: {s['status']}" + (f" ({s['reason']})" if s.get("reason") else "")
        + (f" [{_counts(s.get('counts'))}]" if s.get("counts") else "")
        for s in report.get("scopes", [])] + _more_scopes(report))
    out += _section("Notes", report.get("notes", []) + _more(more("notes"), "notes"))
    out += _section("Chained runs", [
        f"#{c.pk} {job_name(c.job)} ({c.job}): {c.status}"
        + (f" ({c.reason_code})" if c.reason_code else "") + f" · {c.scope_label}"
        for c in run.children.order_by("pk")])
    if run.duration_s is not None:
        out.append(f"  took {run.duration_s} s")
    return "\n".join(out)


def _more(count: int | None, what: str) -> list[str]:
    """The line that stands for the entries a report left out, if any."""
    return [f"… and {count:,} more{' ' + what if what else ''}"] if count else []


def _more_scopes(report: dict) -> list[str]:
    left_out = (report.get("left_out") or {}).get("scopes")
    if not left_out:
        return []
    tally = ", ".join(f"{status} {n:,}" for status, n in
                      sorted((report.get("scope_counts") or {}).items()))
    return [f"… and {left_out:,} more ({tally} in all)"]


def job_name(key: str) -> str:
    """The registry's name for a job; a job no longer registered still reads as words."""
    spec = registry.REGISTRY.get(key)
    return spec.name if spec else str(key).replace("_", " ").capitalize()


def _section(title: str, lines: list[str]) -> list[str]:
    return [f"\n{title}:"] + [f"  {line}" for line in lines] if lines else []


def _item(item: dict) -> str:
    year = f" ({item['year']})" if item.get("year") else ""
    status = f" [{item['status']}]" if item.get("status") else ""
    why = f" — {item['why']}" if item.get("why") else ""
    return f"{item.get('title', '?')}{year}{status}{why}"


def _plan(p: dict) -> str:
    parts = [f"{p.get('row', '?')}: {p.get('action', '?')}"]
    for key, sign in (("add", "+"), ("remove", "-")):
        if p.get(key):
            names = [str(n) for n in p[key][:10]]
            hidden = len(p[key]) - len(names) + (p.get(f"{key}_left_out") or 0)
            parts.append(f"{sign}{len(p[key]) + (p.get(f'{key}_left_out') or 0):,} "
                         f"({', '.join(names)}{f' and {hidden:,} more' if hidden else ''})")
    if p.get("moves"):
        parts.append(f"{p['moves']} moves")
    if p.get("other"):
        parts.append(f"({'; '.join(p['other'])})")
    if p.get("scope"):
        parts.append(f"[{p['scope']}]")
    return " ".join(parts)


def _sends(card: dict, dry_run: bool) -> list[str]:
    counts = ", ".join(f"{label} {n}" for label, n in card["counts"])
    lines = []
    for item in card["items"]:
        lines.append(f"{item['title']}: {item['label']}"
                     + (f" — {item['sentence']}" if item["sentence"] else "")
                     + (f" [{item['scope']}]" if item["scope"] else ""))
        if item.get("request"):
            lines.append(f"  would send {item['request']['line']}")
            lines += [f"    {row}" for row in item["request"]["body"].splitlines()]
    title = f"{card['name']}{' (dry run: would send)' if dry_run else ''}: {counts}"
    return _section(title, lines + _more(card.get("left_out"), "titles"))
