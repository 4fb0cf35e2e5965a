"""Command Center → Private rows: the switch (off by default), what it needs and what each
viewer will see; turning it off puts every share filter back as it was (rows.shares)."""

from __future__ import annotations

import logging
import re

from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from recommendations.models import PrivateRows
from recommendations.rows import shares
from recommendations.rows.private import label_for
from vault.clients import factory
from vault.clients.errors import ServiceError
from vault.models import PlexViewer

logger = logging.getLogger(__name__)
TEMPLATE = "recommendations/cc_private.html"


def _check():
    """(server, plex.tv client, capability) — each None-safe when a service is unreachable."""
    server = client = None
    try:
        server = factory.plex_server()
    except ServiceError as exc:
        return None, None, {"ok": False, "problems": [f"Plex could not be reached: {exc}"],
                            "warnings": [], "sees": []}
    try:
        client = shares.connect()
    except ServiceError as exc:
        logger.info("plex.tv unreachable for the private rows check: %s", exc)
    return server, client, shares.capability(server, client)


def _conditions(value: str) -> list[str]:
    return [c for c in re.split(r"\||,|%2C", value or "", flags=re.IGNORECASE) if c]


def _changes(result) -> list[dict]:
    """Each change with its conditions listed; our labels also say whose rows they hide."""
    names = {f"label!={label_for(v.account_id)}": v.name for v in PlexViewer.objects.all()}

    def named(value: str) -> list[str]:
        return [f"{c} ({names[c]}'s rows)" if c in names else c for c in _conditions(value)]
    return [{**c.as_dict(), "before_list": named(c.before), "after_list": named(c.after)}
            for c in result.changes]


@require_http_methods(["GET", "POST"])
def cc_private(request):
    """Full page on a normal request; the `private` fragment for htmx."""
    context = {"done": None, "changes": [], "errors": []}
    action = request.POST.get("action") if request.method == "POST" else None
    if action == "off":
        result = shares.turn_off()
        context.update(done="off", changes=_changes(result), errors=result.errors)
    server, client, check = _check()
    if action == "on":
        if check["ok"]:
            result = shares.turn_on(server, client)
            context.update(done="on", changes=_changes(result), errors=result.errors)
        else:
            context["errors"] = ["Private rows stay off until what is missing is fixed."]
    context.update(check=check, enabled=PrivateRows.load().enabled)
    template = f"{TEMPLATE}#private" if request.htmx else TEMPLATE
    return render(request, template, context)
