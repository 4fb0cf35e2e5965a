"""Every URL pattern needs login, except a short public allow-list."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

pytestmark = pytest.mark.django_db

PUBLIC = {"login", "healthz", "setup", "webhooks/plex", "favicon.ico"}


def walk(patterns, prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from walk(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern)


def concrete(pattern: str) -> str:
    """Turn a route/regex into a sample path: converters and groups become '1'."""
    path = re.sub(r"<(?:\w+:)?\w+>", "1", pattern)
    path = re.sub(r"\(\?P<\w+>[^)]*\)", "1", path)
    path = path.replace("^", "").replace("$", "").replace("\\Z", "").replace("\\", "")
    return "/" + re.sub(r"[?*+()\[\]]", "", path)


def all_paths():
    return sorted({concrete(p) for p in walk(get_resolver().url_patterns)})


def is_public(path: str) -> bool:
    return path.strip("/") in PUBLIC or path.startswith("/static/")


def test_urls_walk_finds_the_core_pages():
    paths = all_paths()
    assert {"/", "/login", "/setup", "/healthz", "/help", "/admin/"} <= set(paths)


@pytest.mark.parametrize("path", [p for p in all_paths() if not is_public(p)])
def test_urls_anonymous_redirected_to_login(client, admin_user, path):
    response = client.get(path)
    assert response.status_code == 302, path
    assert response["Location"].startswith("/login?next="), path


@pytest.mark.parametrize("path", [p for p in all_paths() if not is_public(p)])
def test_urls_anonymous_htmx_gets_hx_redirect(client, admin_user, path):
    response = client.get(path, headers={"HX-Request": "true"})
    assert response.status_code == 200, path
    assert response["HX-Redirect"].startswith("/login?next="), path
    assert b"<form" not in response.content


def test_urls_public_pages_answer_without_login(client, admin_user):
    assert client.get("/login").status_code == 200
    assert client.get("/healthz")["Content-Type"] == "application/json"


def test_urls_pages_send_csp_forbidding_inline_code(admin_client):
    response = admin_client.get("/")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "img-src 'self' data:;" in csp  # no TMDB: posters come through our own proxy
    assert b"<script>" not in response.content and b"style=" not in response.content
    assert b"/static/django_htmx/htmx-2.min.js" in response.content
