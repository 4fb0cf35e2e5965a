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
    EVERY,
    PREVIEW,
    RESET,
    ImmaculateResetForm,
    OverseerrResetForm,
    RejectedResetForm,
    ResetForm,
)
from recommendations.models import ImmaculateTasteTitle, MissingSend, RejectedTitle, Route
from vault.clients import factory
from vault.clients.errors import NotFoundError, ServiceError

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
    items: list[str] = field(default_factory=list)  # one line per thing that goes
    error: str = ""  # the service could not be reached: nothing was removed or marked
    ids: list[int] = field(default_factory=list)  # what a preview showed, for the reset


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


SENT_AGAIN = "Those titles may be sent again on the next run."
PAGE = 100


def run_overseerr(dry_run: bool, which: str, ids: list[int] | None = None) -> Outcome:
    """Preview or delete Overseerr requests: ours (MissingSend rows with a request id) or,
    with `which=every`, every request Overseerr lists. A reset deletes only ids its preview
    showed (when it carries them); a request already gone (404) counts as removed; the rows of
    removed requests are deleted so those titles may be sent again."""
    try:
        client = factory.overseerr()
        found = _every_request(client) if which == EVERY else _our_requests()
    except ServiceError as exc:
        return Outcome(0, "Overseerr request", error=f"{exc} Nothing was removed.")
    if ids is not None:
        found = {rid: line for rid, line in found.items() if rid in set(ids)} \
            if which != EVERY else {rid: found.get(rid, f"Request {rid}") for rid in ids}
    if dry_run:
        return Outcome(len(found), "Overseerr request", items=list(found.values()),
                       ids=list(found), notes=[SENT_AGAIN] if found else [])
    removed, error = _delete(client, list(found))
    MissingSend.objects.filter(route=Route.OVERSEERR, service_id__in=removed).delete()
    notes = [SENT_AGAIN] if removed else []
    if error:
        error += (f" Removed {len(removed)} of {len(found)}; the rest are still in Overseerr."
                  if removed else " Nothing was removed.")
    return Outcome(len(removed), "Overseerr request", items=[found[i] for i in removed],
                   notes=notes, error=error)


def _delete(client, ids: list[int]) -> tuple[list[int], str]:
    removed = []
    for rid in ids:
        try:
            client.delete_request(rid)
        except NotFoundError:
            pass  # already gone: removed all the same
        except ServiceError as exc:
            return removed, str(exc)
        removed.append(rid)
    return removed, ""


def _our_requests() -> dict[int, str]:
    rows = MissingSend.objects.filter(route=Route.OVERSEERR, service_id__isnull=False) \
        .select_related("viewer").order_by("service_id")
    return {row.service_id: _line(row.title, row.year, row.media_type, f"for {row.viewer.name}")
            for row in rows}


def _every_request(client) -> dict[int, str]:
    ours = {row.service_id: row for row in MissingSend.objects.filter(
        route=Route.OVERSEERR, service_id__isnull=False)}
    found, skip = {}, 0
    while True:
        page = client.requests_page(take=PAGE, skip=skip)
        results = page.get("results") or []
        for request in results:
            found[int(request["id"])] = _their_line(request, ours.get(int(request["id"])))
        skip += PAGE
        if not results or skip >= int((page.get("pageInfo") or {}).get("results") or 0):
            return dict(sorted(found.items()))


def _their_line(request: dict, row) -> str:
    by = (request.get("requestedBy") or {})
    name = by.get("displayName") or by.get("plexUsername") or by.get("email") or "someone"
    if row is not None:
        return _line(row.title, row.year, row.media_type, f"requested by {name}")
    kind = "TV show" if request.get("type") == "tv" else "movie"
    tmdb = (request.get("media") or {}).get("tmdbId")
    return f"A {kind}{f' (TMDB {tmdb})' if tmdb else ''}, requested by {name}"


def _line(title: str, year, media_type: str, who: str) -> str:
    kind = "TV show" if media_type in ("tv", "show") else "movie"
    return f"{title}{f' ({year})' if year else ''}, {kind}, {who}"


RESETS = [
    Reset("immaculate", "Reset Immaculate Taste dataset",
          "Clears the saved suggestions (pending and active) so the next Immaculate Taste run "
          "starts over.", ImmaculateResetForm, run_immaculate),
    Reset("rejected", "Reset rejected list",
          "Titles swiped away may be suggested again.", RejectedResetForm, run_rejected),
    Reset("overseerr", "Reset Overseerr requests",
          "Deletes the requests Immaculaterr made in Overseerr, so those titles may be sent "
          "again; the viewers' own requests stay unless you choose every request.",
          OverseerrResetForm, run_overseerr),
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
    if outcome.error and not outcome.total:
        card["step"] = CHOOSE
        return card
    if not dry_run:
        logger.info("Reset %s (%s) removed %d", reset.key, card["scope"], outcome.total)
    card["step"] = DONE if not dry_run else CONFIRM if outcome.total else CHOOSE
    if card["step"] == CONFIRM and outcome.ids:
        # The confirmation carries the previewed ids, so the reset removes what was shown.
        form.data = form.data.copy()
        form.data[form.add_prefix("ids")] = ",".join(map(str, outcome.ids))
    return card


def _scope_label(form: ResetForm) -> str:
    return " · ".join(_label(form.fields[name], value) for name, value in form.scope().items()
                      if not form.fields[name].widget.is_hidden)


def _label(formfield, value) -> str:
    if value is None:
        return formfield.empty_label
    choices = dict(getattr(formfield, "choices", None) or ()) \
        if not hasattr(formfield, "queryset") else {}
    return str(choices.get(value, value))
