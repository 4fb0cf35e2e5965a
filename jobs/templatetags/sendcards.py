"""The run page's cards of missing titles sent to Radarr, Sonarr or Overseerr."""

from __future__ import annotations

from django import template

from jobs import textreport

register = template.Library()


@register.simple_tag
def send_cards(report) -> list[dict]:
    return textreport.send_cards(report or {})


@register.simple_tag
def other_services(report) -> list[dict]:
    """The service cards a send card does not already show."""
    shown = textreport.sent_by_us(report or {})
    return [c for c in (report or {}).get("services") or [] if c.get("name") not in shown]
