"""Deck pages (placeholder until the deck lands)."""

from django.http import Http404
from django.views.decorators.http import require_POST


def deck(request):
    raise Http404("The Observatory deck is not built yet.")


@require_POST
def decide(request):
    raise Http404("The Observatory deck is not built yet.")


@require_POST
def undo(request):
    raise Http404("The Observatory deck is not built yet.")
