"""/admin in the app's look (issue 15): our palette and favicon, a way back to the app, and a
link to it from the app's nav."""

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_admin_look_index_uses_our_css_favicon_and_links_back(admin_client):
    page = admin_client.get(reverse("admin:index")).content.decode()

    assert '<link rel="stylesheet" href="/static/css/admin.css">' in page
    assert '<link rel="icon" href="/static/favicon.ico"' in page
    assert '<a href="/">Back to Immaculaterr</a>' in page
    assert "theme-toggle" not in page  # one dark theme, like the app


def test_admin_look_nav_links_to_the_admin(admin_client):
    page = admin_client.get(reverse("dashboard")).content.decode()

    assert '<a href="/admin/" class="nav-admin">Admin</a>' in page
    assert '<link rel="icon" href="/static/favicon.ico"' in page


def test_admin_look_favicon_is_served(admin_client, client):
    response = client.get("/static/favicon.ico")

    assert response.status_code == 200
    assert b"".join(response.streaming_content)[:4] == b"\x00\x00\x01\x00"  # an ICO header
    assert finders.find("css/admin.css")


def test_admin_look_anonymous_is_sent_to_sign_in(client, admin_user):
    response = client.get(reverse("admin:index"))

    assert response.status_code == 302 and "/login" in response["Location"]
