"""The navigation bar: only pages that exist (apps register theirs by URL name)."""

from django.urls import NoReverseMatch, reverse

PAGES = [
    ("dashboard", "Dashboard"),
    ("vault:index", "Vault"),
    ("command_center", "Command Center"),
    ("jobs:task_manager", "Task Manager"),
    ("observatory:deck", "Observatory"),
    ("jobs:rewind", "Rewind"),
    ("jobs:logs", "Logs"),
    ("help", "Help"),
]


def _links():
    for name, label in PAGES:
        try:
            yield {"name": name, "label": label, "url": reverse(name)}
        except NoReverseMatch:
            continue


def nav(request):
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {"nav_links": []}
    current = getattr(getattr(request, "resolver_match", None), "view_name", "")
    links = [dict(link, active=link["name"] == current) for link in _links()]
    return {"nav_links": links}
