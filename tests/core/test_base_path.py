"""A sub-path install (APP_BASE_PATH=/immaculaterr) in Chromium: every page, static file,
htmx call and redirect stays under the prefix, with no console errors."""

import pytest

from tests.browser import browser_page
from tests.loopback import Client

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

PREFIX = "/immaculaterr"


@pytest.fixture
def under_prefix(settings):
    """What settings.py computes from APP_BASE_PATH=/immaculaterr (tests/core/test_proxy.py)."""
    settings.FORCE_SCRIPT_NAME = PREFIX
    settings.STATIC_URL = f"{PREFIX}/static/"
    settings.SESSION_COOKIE_PATH = settings.CSRF_COOKIE_PATH = PREFIX
    return settings


def test_base_path_every_nav_page_stays_under_the_prefix(live_server, chromium_path, under_prefix):
    base = f"{live_server.url}{PREFIX}"
    with browser_page(chromium_path) as page:
        seen = []
        page.on("request", lambda r: seen.append(r.url))
        failed = []
        page.on("response", lambda r: r.status >= 400 and failed.append(f"{r.status} {r.url}"))
        page.goto(f"{base}/help")
        assert page.url == f"{base}/setup"
        page.fill("input[name=username]", "ava")
        page.fill("input[name=password]", "a-long-password")
        page.fill("input[name=password_again]", "a-long-password")
        page.click("button[type=submit]")
        page.wait_for_url(f"{base}/onboarding/**")  # the wizard, under the prefix too
        page.goto(f"{base}/")
        links = page.eval_on_selector_all("nav a", "els => els.map(e => e.href)")
        assert len(links) >= 6 and all(link.startswith(f"{base}/") for link in links)
        for link in links:
            page.goto(link)
            page.wait_for_load_state("networkidle")
            assert page.url == link
        page.click("text=Sign out")
        page.wait_for_url(f"{base}/login")
        page.goto(f"{base}/command-center")
        assert page.url == f"{base}/login?next=%2Fimmaculaterr%2Fcommand-center"
        page.fill("input[name=username]", "ava")
        page.fill("input[name=password]", "a-long-password")
        page.click("button[type=submit]")
        page.wait_for_url(f"{base}/command-center")

        outside = [url for url in seen if not url.startswith(f"{base}/")]
        assert outside == []
        assert any("/static/css/app.css" in url for url in seen)
        assert failed == []
        assert page.errors == []


def test_base_path_proxy_that_strips_the_prefix_still_gets_prefixed_links(
        live_server, admin_user, under_prefix):
    stripping, keeping = Client(live_server.url), Client(f"{live_server.url}{PREFIX}")
    pages = []
    for visitor in (stripping, keeping):
        status, headers, _ = visitor.post_form("/login", {"username": "ava",
                                                          "password": "correct-horse-battery"})
        assert (status, headers["Location"]) == (302, f"{PREFIX}/")
        assert f"Path={PREFIX}" in headers["Set-Cookie"]
        pages.append(visitor.get("/help"))

    for status, _, html in pages:
        assert status == 200
        assert f'href="{PREFIX}/static/css/app.css"' in html
        assert f'href="{PREFIX}/healthz"' in html
        assert 'href="/' not in html.replace(f'href="{PREFIX}/', "")
        assert 'src="/' not in html.replace(f'src="{PREFIX}/', "")
        assert 'action="/' not in html.replace(f'action="{PREFIX}/', "")
