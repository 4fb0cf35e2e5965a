"""Command Center sections: library selection and monitored viewers (htmx forms)."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from immaculaterr.params import positive_id
from vault.clients.errors import ServiceError
from vault.clients.factory import plex_server
from vault.forms import LibrariesForm, ViewersForm
from vault.integrations import UNREADABLE, SecretsUnreadable
from vault.mirror import reader
from vault.models import PlexLibrary, PlexViewer


def _section(request, template: str, form_class, field: str, queryset, attr: str,
             removed=()):
    initial = {field: list(queryset.filter(**{attr: True}))}
    form = form_class(request.POST if request.method == "POST" else None, initial=initial)
    saved = False
    if request.method == "POST" and form.is_valid():
        form.save()
        saved = True
        form = form_class(initial={field: list(queryset.filter(**{attr: True}))})
    if form.is_bound:
        checked = {pk for pk in map(positive_id, form.data.getlist(field)) if pk is not None}
    else:
        checked = {obj.pk for obj in form.initial[field]}
    # removed from Plex: listed as removed, never a choice (they are not swept either)
    context = {"form": form, "saved": saved, "rows": list(queryset), "checked": checked,
               "removed": list(removed)}
    name = template + ("#section" if request.htmx else "")
    return render(request, name, context)


def libraries(request):
    return _section(request, "vault/cc_libraries.html", LibrariesForm, "selected",
                    PlexLibrary.objects.filter(present=True), "selected",
                    removed=PlexLibrary.objects.filter(present=False))


def viewers(request):
    return _section(request, "vault/cc_viewers.html", ViewersForm, "monitored",
                    PlexViewer.objects.filter(present=True), "monitored",
                    removed=PlexViewer.objects.filter(present=False))


@require_POST
def plex_sync(request):
    """Re-read libraries and viewers from Plex now (two or three requests)."""
    target = request.POST.get("next") or "vault:cc_libraries"
    try:
        server = plex_server()
        reader.sync_libraries(server)
        reader.sync_viewers(server)
        messages.success(request, "Libraries and viewers were read from Plex.")
    except SecretsUnreadable:
        messages.error(request, UNREADABLE)
    except ServiceError as exc:
        messages.error(request, str(exc))
    if target not in ("vault:cc_libraries", "vault:cc_viewers"):
        target = "vault:cc_libraries"
    # The button sits in a Command Center section (loaded by htmx) and on the section's own
    # page: go back to the page it was pressed on, the Command Center included.
    came_from = urlsplit(request.headers.get("Referer", ""))
    if came_from.netloc == request.get_host() and came_from.path == reverse("command_center"):
        return redirect("command_center")
    return redirect(target)
