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
