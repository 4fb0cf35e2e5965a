"""The first-run path in a real browser: setup, dashboard, sign out, sign in; no CSP errors."""

import asyncio
import gc

import pytest
from django.contrib.auth.models import User

from tests.browser import browser_page, sign_in

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def test_browser_setup_then_login_without_console_errors(live_server, chromium_path):
    with browser_page(chromium_path) as page:
        page.goto(f"{live_server.url}/help")
        assert page.url.endswith("/setup")
        page.fill("input[name=username]", "ava")
        page.fill("input[name=password]", "a-long-password")
        page.fill("input[name=password_again]", "a-long-password")
        page.click("button[type=submit]")
        page.wait_for_url(f"{live_server.url}/onboarding/**")  # the wizard comes next
        page.goto(f"{live_server.url}/")  # every step can wait: the Dashboard is open now
        assert page.locator("h1").inner_text() == "Dashboard"
        assert page.locator("nav a[aria-current=page]").inner_text() == "Dashboard"

        page.click("text=Sign out")
        page.wait_for_url(f"{live_server.url}/login")
        page.fill("input[name=username]", "ava")
        page.fill("input[name=password]", "a-long-password")
        page.click("button[type=submit]")
        page.wait_for_url(f"{live_server.url}/")
        page.goto(f"{live_server.url}/command-center")
        page.wait_for_load_state("networkidle")
        assert page.locator("h1").inner_text() == "Command Center"
        assert page.errors == []


def test_browser_wrong_password_shows_message(live_server, chromium_path, admin_user):
    with browser_page(chromium_path) as page:
        page.goto(f"{live_server.url}/login")
        page.fill("input[name=username]", "ava")
        page.fill("input[name=password]", "not-the-password")
        page.click("button[type=submit]")
        assert page.locator(".form-error").inner_text() == "Wrong username or password."
        assert page.errors == []


def test_browser_each_page_has_fresh_cookies_and_no_loop_runs_between_pages(
        live_server, chromium_path, admin_user):
    """The session's one Chromium gives every test a fresh context; between browser tests no
    event loop is running in this thread, so asyncio works for the other tests."""
    with browser_page(chromium_path) as page:
        sign_in(page, live_server.url)
        page.context.browser.new_context()  # a second window the test forgets to close
    assert asyncio._get_running_loop() is None
    assert asyncio.run(asyncio.sleep(0, "ran")) == "ran"

    with browser_page(chromium_path) as page:
        assert len(page.context.browser.contexts) == 1  # the forgotten window was closed
        page.goto(f"{live_server.url}/")
        page.wait_for_url(f"{live_server.url}/login**")  # not signed in: a new context
        assert page.errors == []
    assert asyncio._get_running_loop() is None


def _open_connections() -> list:
    from django.db.backends.base.base import BaseDatabaseWrapper

    return [w for w in gc.get_objects() if isinstance(w, BaseDatabaseWrapper)
            and w.connection is not None]


def test_a_query_inside_a_browser_block_leaves_no_connection_open(live_server, chromium_path,
                                                                  admin_user):
    from django.db import connections

    connections.close_all()
    with browser_page(chromium_path) as page:
        page.goto(f"{live_server.url}/login")
        inside = User.objects.count()  # Playwright's loop is set: a connection of its own
    # on PostgreSQL the one left open kept the test database from being dropped
    assert inside == 1 and _open_connections() == []
