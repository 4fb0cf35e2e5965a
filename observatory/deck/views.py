"""The Observatory page: the picker, the deck, a decision and an undo. Full page on a normal
request (buttons are plain forms), the deck fragment for htmx."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from immaculaterr.params import positive_id
from observatory import tasks
from observatory.deck import cards
from observatory.deck.decide import NotOnDeck, undo_last
from observatory.deck.decide import decide as decide_card
from vault.models import PlexLibrary, PlexViewer

TEMPLATE = "observatory/deck.html"
SESSION_KEY = "observatory_scope"


def choices():
    viewers = list(PlexViewer.objects.filter(present=True).order_by("-is_owner", "name"))
    libraries = list(PlexLibrary.objects.filter(present=True, kind__in=("movie", "show"))
                     .order_by("kind", "title"))
    return viewers, libraries


def pick(request, params, viewers, libraries) -> cards.Scope | None:
    """The scope asked for, else the last one (session), else the first of each."""
    saved = request.session.get(SESSION_KEY) or [None, None]
    viewer_id = positive_id(params.get("viewer", "")) or saved[0]
    library_id = positive_id(params.get("library", "")) or saved[1]
    viewer = next((v for v in viewers if v.pk == viewer_id), viewers[0] if viewers else None)
    library = next((x for x in libraries if x.pk == library_id),
                   libraries[0] if libraries else None)
    if viewer is None or library is None:
        return None
    request.session[SESSION_KEY] = [viewer.pk, library.pk]
    return cards.Scope(viewer, library)


def deck_context(scope, viewers, libraries, message: str = "") -> dict:
    deck = cards.next_deck(scope) if scope else None
    empty = bool(scope and not deck.cards and not cards.has_suggestions(scope))
    return {"scope": scope, "deck": deck, "viewers": viewers, "libraries": libraries,
            "empty": empty, "message": message, "debounce": round(tasks.debounce())}


def respond(request, scope, viewers, libraries, message: str = ""):
    context = deck_context(scope, viewers, libraries, message)
    template = f"{TEMPLATE}#deck" if request.htmx else TEMPLATE
    return render(request, template, context)


@require_safe
def deck(request):
    viewers, libraries = choices()
    return respond(request, pick(request, request.GET, viewers, libraries), viewers, libraries)


def after_post(request, scope, viewers, libraries, message: str, level=messages.SUCCESS):
    if request.htmx:
        return respond(request, scope, viewers, libraries, message)
    messages.add_message(request, level, message)
    query = urlencode({"viewer": scope.viewer.pk, "library": scope.library.pk}) if scope else ""
    return redirect(reverse("observatory:deck") + (f"?{query}" if query else ""))


@require_POST
def decide(request):
    viewers, libraries = choices()
    scope = pick(request, request.POST, viewers, libraries)
    tmdb_id = positive_id(request.POST.get("tmdb_id", ""), maximum=2**31 - 1)
    if scope is None or tmdb_id is None:
        return after_post(request, scope, viewers, libraries, "Pick a card first.",
                          messages.ERROR)
    try:
        _, message = decide_card(scope, tmdb_id, request.POST.get("action", ""))
    except NotOnDeck as exc:
        return after_post(request, scope, viewers, libraries, str(exc), messages.WARNING)
    return after_post(request, scope, viewers, libraries, message)


@require_POST
def undo(request):
    viewers, libraries = choices()
    scope = pick(request, request.POST, viewers, libraries)
    if scope is None:
        return after_post(request, scope, viewers, libraries, "Nothing to undo.",
                          messages.WARNING)
    return after_post(request, scope, viewers, libraries, undo_last(scope))
