"""The Command Center page: a shell whose sections each app serves as its own htmx view.

An app adds a section by appending (url name, title) to SECTIONS; the section view renders a
full page on a normal request and its fragment when `request.htmx`.
"""

from django.shortcuts import render
from django.urls import NoReverseMatch, reverse

SECTIONS = [
    ("vault:cc_libraries", "Plex libraries"),
    ("vault:cc_viewers", "Viewers"),
    ("recommendations:cc_dials", "Recommendations"),
    ("recommendations:cc_posters", "Posters"),
    ("recommendations:cc_resets", "Resets"),
    ("jobs:cc_cleanup", "Duplicate cleanup"),
    ("recommendations:cc_private", "Private rows"),
]


def sections():
    for name, title in SECTIONS:
        try:
            yield {"title": title, "url": reverse(name)}
        except NoReverseMatch:
            continue


def command_center(request):
    return render(request, "immaculaterr/command_center.html", {"sections": list(sections())})
