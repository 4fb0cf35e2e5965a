"""The run page's helpers: cards of missing titles sent to Radarr, Sonarr or Overseerr, and
job names instead of keys."""

from __future__ import annotations

from django import template

from jobs import registry, textreport

register = template.Library()


@register.simple_tag
def send_cards(report) -> list[dict]:
    return textreport.send_cards(report or {})


@register.simple_tag
def other_services(report) -> list[dict]:
    """The service cards a send card does not already show."""
    shown = textreport.sent_by_us(report or {})
    return [c for c in (report or {}).get("services") or [] if c.get("name") not in shown]


@register.filter
def job_name(key: str) -> str:
    spec = registry.REGISTRY.get(key)
    return spec.name if spec else str(key).replace("_", " ").capitalize()


ACTION_WORDS = {"create": "create", "update": "update", "recreate": "rebuild",
                "delete": "delete", "keep": "unchanged"}


@register.simple_tag
def plan_lines(report) -> list[dict]:
    """The report's Plex changes with the action in words. A "keep" of a row that does not
    exist in Plex (it has no titles yet, so it was never created) says so instead."""
    report = report or {}
    existing = {}
    for name, data in (report.get("raw") or {}).items():
        if name.startswith("rows ") and isinstance(data, dict):
            for row in data.get("rows") or []:
                existing[(name[5:], row.get("title"))] = bool(row.get("collection"))
    lines = []
    for entry in report.get("plan") or []:
        action = entry.get("action") or "keep"
        absent = action == "keep" and existing.get((entry.get("scope"), entry.get("row"))) \
            is False
        lines.append(dict(entry, absent=absent, action_words="not created: no titles yet"
                          if absent else ACTION_WORDS.get(action, action)))
    return lines


@register.filter
def count_name(key: str) -> str:
    return textreport.count_name(key)


@register.filter
def step_badge(status: str) -> str:
    return {"ok": "ok", "cancelled": "cancelled", "running": "skipped"}.get(status, "bad")
