"""The nav on a phone (390 px): a closed Menu button keeps the bar under 80 px, the menu opens
without any script of ours (a <details>) and its links work, no page scrolls sideways; on a
wide screen the links sit in the bar with no Menu button. 0 console errors."""

import pytest

from tests.browser import browser_page, sign_in

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

PAGES = {"/": "Dashboard", "/vault": "Vault", "/command-center": "Command Center",
         "/help": "Help"}
SHOT = "/tmp/shots/nav-390.png"


def header_height(page) -> float:
    return page.locator("header.topbar").bounding_box()["height"]


def scroll_width(page) -> int:
    return page.evaluate("() => document.documentElement.scrollWidth")


def test_phone_nav_is_a_menu_that_opens_and_navigates(live_server, chromium_path, admin_user):
    base = live_server.url
    with browser_page(chromium_path) as page:
        page.set_viewport_size({"width": 390, "height": 844})
        sign_in(page, base)
        closed = {}
        for path, title in PAGES.items():
            page.goto(f"{base}{path}")
            page.wait_for_load_state("networkidle")
            closed[title] = (header_height(page), scroll_width(page),
                             page.locator("nav a").first.is_visible(),
                             page.locator(".nav-menu > summary").is_visible())

        page.goto(f"{base}/")
        page.screenshot(path=SHOT.replace(".png", "-closed.png"))
        page.click(".nav-menu > summary")
        visible_links = [a.inner_text() for a in page.locator("nav[aria-label=Main] a").all()
                         if a.is_visible()]
        admin_and_out = (page.locator(".nav-admin").is_visible(),
                         page.get_by_role("button", name="Sign out").is_visible())
        open_width = scroll_width(page)
        page.screenshot(path=SHOT)
        page.locator("nav[aria-label=Main]").get_by_role("link", name="Vault").click()
        page.wait_for_url(f"{base}/vault")
        after = (page.locator("h1").first.inner_text(),
                 page.locator("nav a[aria-current=page]").text_content(),
                 page.locator(".nav-menu").get_attribute("open"),
                 page.locator("nav a").first.is_visible())
        page.click(".nav-menu > summary")
        page.get_by_role("button", name="Sign out").click()
        page.wait_for_url(f"{base}/login")

        for title, (height, width, link_shown, button_shown) in closed.items():
            assert height < 80, title
            assert width <= 390, title
            assert (link_shown, button_shown) == (False, True), title
        assert visible_links[:3] == ["Dashboard", "Vault", "Command Center"]
        assert "Help" in visible_links and admin_and_out == (True, True)
        assert open_width <= 390
        assert after == ("Vault", "Vault", None, False)  # the new page starts with it closed
        assert page.errors == []


def test_wide_screen_shows_the_links_without_a_menu_button(live_server, chromium_path,
                                                           admin_user):
    with browser_page(chromium_path) as page:
        page.set_viewport_size({"width": 1280, "height": 800})
        sign_in(page, live_server.url)
        page.wait_for_load_state("networkidle")

        assert page.locator(".nav-menu > summary").is_visible() is False
        assert page.locator("nav[aria-label=Main] a", has_text="Vault").is_visible()
        assert page.get_by_role("button", name="Sign out").is_visible()
        assert header_height(page) < 80
        page.screenshot(path="/tmp/shots/nav-1280.png")
        page.locator("nav[aria-label=Main]").get_by_role("link", name="Help").click()
        page.wait_for_url(f"{live_server.url}/help")
        assert page.locator("nav a[aria-current=page]").inner_text() == "Help"
        assert page.errors == []
