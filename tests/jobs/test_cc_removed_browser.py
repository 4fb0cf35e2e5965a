"""Command Center in Chromium with a removed library and a departed viewer: both listed, no
sideways scroll at 390 px or 1280 px, no console errors."""

import pytest

from tests.browser import browser_page, sign_in

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def test_command_center_lists_removed_and_fits_a_phone(live_server, chromium_path, admin_user,
                                                      people):
    viewers, libraries = people
    libraries["2"].present = False
    libraries["2"].save()
    viewers["cy"].present = False
    viewers["cy"].save()
    with browser_page(chromium_path) as page:
        sign_in(page, live_server.url)
        widths = {}
        for width in (1280, 390):
            page.set_viewport_size({"width": width, "height": 900})
            page.goto(f"{live_server.url}/command-center")
            page.wait_for_selector("text=Removed from Plex")  # the section loads through htmx
            page.wait_for_selector("text=Left the server")
            widths[width] = page.evaluate("() => document.documentElement.scrollWidth")
        text = page.inner_text("main")

    assert widths == {1280: 1280, 390: 390}
    assert "Removed from Plex" in text and "TV Shows" in text
    assert "Left the server" in text
    assert page.errors == []
