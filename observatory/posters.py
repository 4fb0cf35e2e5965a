"""Poster proxy (stub: the other engineer replaces this)."""

from django.http import Http404


def poster(request, kind, tmdb_id):
    raise Http404("No poster yet.")
