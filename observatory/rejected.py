"""Rejected list page (stub: the other engineer replaces this)."""

from django.http import Http404


def rejected_list(request):
    raise Http404("No rejected list yet.")
