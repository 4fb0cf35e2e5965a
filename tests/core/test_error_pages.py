"""Styled 404 and 500 pages inside the layout with a way back (issue 15, Errors); the 500 page
renders with no database, session or user."""

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from immaculaterr import views

BACK = '<a class="button primary" href="/">Back to the Dashboard</a>'


@pytest.mark.django_db
def test_error_404_for_the_admin_is_inside_the_layout_with_a_way_back(admin_client):
    response = admin_client.get("/no-such-page")

    page = response.content.decode()
    assert response.status_code == 404
    assert "<h1>This page does not exist</h1>" in page
    assert BACK in page
    assert '<nav aria-label="Main">' in page and 'href="/vault"' in page  # the usual nav
    assert "no-such-page" not in page  # the resolver's detail is not shown


@pytest.mark.django_db
def test_error_404_raised_by_a_view_says_its_sentence(admin_client):
    response = admin_client.get(reverse("vault:arr_choices", args=["nosuch"]))

    assert response.status_code == 404
    assert "<p>No such service.</p>" in response.content.decode()


@pytest.mark.django_db
def test_error_404_anonymous_gets_the_page_without_the_nav(client, admin_user):
    response = client.get("/no-such-page")

    page = response.content.decode()
    assert response.status_code == 404
    assert BACK in page and '<nav aria-label="Main">' not in page


def test_error_500_renders_without_database_session_or_user():
    """No django_db mark: any database access here raises."""
    request = RequestFactory().get("/boom")  # no session, no user attached

    response = views.server_error(request)

    page = response.content.decode()
    assert response.status_code == 500
    assert "<h1>Something went wrong on our side</h1>" in page and BACK in page
    assert '<link rel="stylesheet" href="/static/css/app.css">' in page


@pytest.mark.django_db
def test_error_500_of_a_crashing_view_is_our_page(admin_user, settings):
    settings.ROOT_URLCONF = "tests.core.errorurls"
    client = Client(raise_request_exception=False)
    client.force_login(admin_user)

    response = client.get("/boom")

    page = response.content.decode()
    assert response.status_code == 500
    assert "Something went wrong on our side" in page and BACK in page
    assert "a bug of ours" not in page and "Traceback" not in page
    assert "Content-Security-Policy" in response.headers
