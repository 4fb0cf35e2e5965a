"""Command Center → Resets: choose a scope, preview (a dry run with counts), type the word,
reset, and see what was removed.

Each reset is one `Reset` in RESETS (a form for its scope and a `run(dry_run, **scope)`), so a
new one (e.g. Overseerr requests) is one more entry and needs no template change.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Count
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from recommendations.datasets import resets
from recommendations.forms.resets import (
    PREVIEW,
    RESET,
    ImmaculateResetForm,
    RejectedResetForm,
    ResetForm,
)
from recommendations.models import ImmaculateTasteTitle, RejectedTitle

logger = logging.getLogger(__name__)
TEMPLATE = "recommendations/resets.html"
CHOOSE, CONFIRM, DONE = "choose", "confirm", "done"
# recommendations.rows.sync has no call that removes one row; an emptied dataset gives an empty
# Immaculate Taste row, which the next row sync deletes.
PLEX_NOTE = ("Plex was not changed now: each affected Immaculate Taste row is refreshed on the "
             "next run (and removed while its dataset is empty).")


@dataclass
class Outcome:
    total: int
    noun: str
    breakdown: list[tuple[str, int]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Reset:
    key: str
    title: str
    help: str
    form: type[ResetForm]
    run: Callable[..., Outcome]


def _breakdown(model, scope: dict, labels: tuple[str, ...]) -> list[tuple[str, int]]:
    rows = model.objects.filter(**{k: v for k, v in scope.items() if v is not None})
    counted = rows.values(*labels).annotate(n=Count("pk")).order_by(*labels)
    return [(" · ".join(str(r[label]) for label in labels), r["n"]) for r in counted]


def run_immaculate(dry_run: bool, viewer=None, library=None) -> Outcome:
    with transaction.atomic():
        parts = _breakdown(ImmaculateTasteTitle, {"viewer": viewer, "library": library},
                           ("viewer__name", "library__title"))
        total = resets.reset_immaculate(viewer, library, dry_run=dry_run)
    return Outcome(total, "Immaculate Taste title", parts, [PLEX_NOTE] if total else [])


def run_rejected(dry_run: bool, viewer=None) -> Outcome:
    with transaction.atomic():
        parts = _breakdown(RejectedTitle, {"viewer": viewer}, ("viewer__name", "media_type"))
        total = resets.reset_rejected(viewer, dry_run=dry_run)
    return Outcome(total, "rejected title", parts)


RESETS = [
    Reset("immaculate", "Reset Immaculate Taste dataset",
          "Clears the saved suggestions (pending and active) so the next Immaculate Taste run "
          "starts over.", ImmaculateResetForm, run_immaculate),
    Reset("rejected", "Reset rejected list",
          "Titles swiped away may be suggested again.", RejectedResetForm, run_rejected),
]


@require_http_methods(["GET", "POST"])
def cc_resets(request):
    """Full page on a normal request; the `resets` fragment for htmx."""
    posted = request.POST.get("reset") if request.method == "POST" else None
    cards = [_posted(request, r) if r.key == posted else _blank(r) for r in RESETS]
    template = f"{TEMPLATE}#resets" if request.htmx else TEMPLATE
    return render(request, template, {"cards": cards})


def _blank(reset: Reset) -> dict:
    return {"reset": reset, "form": reset.form(prefix=reset.key), "step": CHOOSE}


def _posted(request, reset: Reset) -> dict:
    action = RESET if request.POST.get("action") == RESET else PREVIEW
    form = reset.form(request.POST, prefix=reset.key, action=action)
    card = {"reset": reset, "form": form, "step": CHOOSE}
    # A wrong confirmation still shows the preview, so the admin sees what is at stake.
    if set(form.errors) - {"confirm"}:
        return card
    dry_run = action == PREVIEW or not form.is_valid()
    outcome = reset.run(dry_run=dry_run, **form.scope())
    card.update(outcome=outcome, scope=_scope_label(form))
    if not dry_run:
        logger.info("Reset %s (%s) removed %d", reset.key, card["scope"], outcome.total)
    card["step"] = DONE if not dry_run else CONFIRM if outcome.total else CHOOSE
    return card


def _scope_label(form: ResetForm) -> str:
    return " · ".join(str(value) if value is not None else form.fields[name].empty_label
                      for name, value in form.scope().items())
