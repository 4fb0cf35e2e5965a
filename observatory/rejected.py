"""The rejected list: per viewer, see, search and restore the titles swiped away.

A restore forgets the rejection; when the title was a missing title rejected in the approval
pass, approval.undo puts it back to waiting for approval (and back in the dataset) instead.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from immaculaterr.params import INT_MAX, positive_id
from recommendations.missing import approval
from recommendations.models import MissingSend, RejectedTitle, SendState
from vault.models import PlexViewer

TEMPLATE = "observatory/rejected.html"
PER_PAGE = 50
MAX_QUERY = 200
KIND_NAMES = {"movie": "Movie", "show": "TV show"}


@require_http_methods(["GET", "POST"])
def rejected_list(request):
    """Full page on a normal request; the `rejected` fragment for htmx."""
    data = request.POST if request.method == "POST" else request.GET
    viewers = list(PlexViewer.objects.filter(monitored=True))
    viewer, error = _viewer(viewers, data.get("viewer"))
    query = (data.get("q") or "").strip()[:MAX_QUERY]
    notice, status = "", 200
    if request.method == "POST" and not error:
        notice, error = _restore(viewer, data.get("restore"))
        status = 400 if error else 200
        if not error and not request.htmx:
            messages.success(request, notice)
            return redirect(_here(viewer, query, data.get("page")))
    context = _context(viewers, viewer, query, data.get("page"))
    context.update(error=error, notice=notice)
    template = f"{TEMPLATE}#rejected" if request.htmx else TEMPLATE
    return render(request, template, context, status=status)


def _viewer(viewers: list[PlexViewer], raw) -> tuple[PlexViewer | None, str]:
    """The chosen monitored viewer (the first one when none is chosen), and an error."""
    first = viewers[0] if viewers else None
    if raw in (None, ""):
        return first, ""
    pk = positive_id(raw, INT_MAX)
    chosen = next((v for v in viewers if v.pk == pk), None)
    if chosen is None:
        return first, "That viewer is not one of the monitored viewers; choose one from the list."
    return chosen, ""


def _restore(viewer: PlexViewer | None, raw) -> tuple[str, str]:
    """(what happened, error) for a Restore of one rejected title of the viewer."""
    pk = positive_id(raw, INT_MAX)
    if viewer is None or pk is None:
        return "", "Choose a title to restore from the list."
    row = RejectedTitle.objects.filter(pk=pk, viewer=viewer).first()
    if row is None:
        return f"That title is no longer on {viewer.name}'s rejected list.", ""
    send = MissingSend.objects.filter(viewer=viewer, media_type=row.media_type,
                                      tmdb_id=row.tmdb_id, state=SendState.REJECTED).first()
    name = str(row)
    if send is not None:
        approval.undo(send)  # also forgets the rejection
        RejectedTitle.objects.filter(pk=row.pk).delete()
        return f"Restored {name}: it is waiting for approval again for {viewer.name}.", ""
    row.delete()
    return f"Restored {name}: it may be suggested to {viewer.name} again.", ""


def _context(viewers, viewer, query: str, page) -> dict:
    rows = RejectedTitle.objects.none()
    if viewer is not None:
        rows = RejectedTitle.objects.filter(viewer=viewer).order_by("-rejected_at", "-pk")
        if query:
            rows = rows.filter(title__icontains=query)
    page_obj = Paginator(rows, PER_PAGE).get_page(positive_id(page or "1", INT_MAX) or 1)
    for row in page_obj:
        row.kind_name = KIND_NAMES.get(row.media_type, row.media_type)
    keep = urlencode({"viewer": viewer.pk if viewer else "", "q": query})
    return {"viewers": viewers, "viewer": viewer, "query": query, "page": page_obj,
            "keep": keep, "reset_url": reverse("recommendations:cc_resets") + "#reset-rejected"}


def _here(viewer, query: str, page) -> str:
    params = {"viewer": viewer.pk if viewer else "", "q": query}
    number = positive_id(page or "", INT_MAX)
    if number and number > 1:
        params["page"] = number
    return f"{reverse('observatory:rejected')}?{urlencode(params)}"
