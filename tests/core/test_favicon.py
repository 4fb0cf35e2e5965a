"""/favicon.ico at the site root: browsers ask for it on their own, so it leads to our icon
(under APP_BASE_PATH too) for anyone, signed in or not, instead of a 404 in the logs."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings as django_settings

pytestmark = pytest.mark.django_db
PREFIX = "/immaculaterr"
ICON = (Path(django_settings.BASE_DIR) / "static" / "favicon.ico").read_bytes()


@pytest.fixture
def under_prefix(settings):
    """What settings.py computes from APP_BASE_PATH=/immaculaterr (tests/core/test_proxy.py)."""
    settings.FORCE_SCRIPT_NAME = PREFIX
    settings.STATIC_URL = f"{PREFIX}/static/"
    settings.SESSION_COOKIE_PATH = settings.CSRF_COOKIE_PATH = PREFIX
    return settings


def icon_behind(client, path: str) -> tuple[str, bytes, str]:
    response = client.get(path)
    assert response.status_code == 302, response.status_code
    location = response["Location"]
    icon = client.get(location)
    return location, b"".join(icon.streaming_content), icon["Content-Type"]


def test_favicon_anonymous_before_setup_gets_our_icon(client):
    location, body, kind = icon_behind(client, "/favicon.ico")

    assert location == "/static/favicon.ico"
    assert (body, kind) == (ICON, "image/x-icon")


def test_favicon_anonymous_after_setup_gets_our_icon_not_the_login_page(client, admin_user):
    location, body, _ = icon_behind(client, "/favicon.ico")

    assert (location, body) == ("/static/favicon.ico", ICON)


def test_favicon_signed_in_admin_gets_our_icon(admin_client):
    location, body, _ = icon_behind(admin_client, "/favicon.ico")

    assert (location, body) == ("/static/favicon.ico", ICON)


def test_favicon_under_base_path_stays_under_the_prefix(client, admin_user, under_prefix):
    # The proxy may strip the prefix or pass it on; both land on the prefixed static file.
    for path in ("/favicon.ico", f"{PREFIX}/favicon.ico"):
        location, body, _ = icon_behind(client, path)

        assert (location, body) == (f"{PREFIX}/static/favicon.ico", ICON)


def test_favicon_redirect_is_cached_for_a_day(client):
    response = client.get("/favicon.ico")

    assert response["Cache-Control"] == "max-age=86400"


def test_favicon_pages_link_the_same_icon_in_their_head(client, admin_user, under_prefix):
    html = client.get(f"{PREFIX}/login").content.decode()

    assert f'<link rel="icon" href="{PREFIX}/static/favicon.ico"' in html
    assert f'<link rel="icon" href="{PREFIX}/static/img/icon.svg" type="image/svg+xml">' in html
