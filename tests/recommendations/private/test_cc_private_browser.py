"""Command Center → Private rows in Chromium at 390 px: turn on (the filter changes listed, no
sideways scroll, no console errors), then off (every share back as it was)."""

import pytest

from recommendations.models import PrivateRows
from tests.browser import browser_page, sign_in

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def test_browser_private_rows_on_then_off_at_390px(live_server, chromium_path, admin_user,
                                                    stack):
    stack["plextv"].set_filter(2, "filterMovies", "contentRating!=R,label!=other_tool")
    before = {k: dict(v) for k, v in stack["plextv"].filters.items()}
    with browser_page(chromium_path) as page:
        page.set_viewport_size({"width": 390, "height": 844})
        sign_in(page, live_server.url)
        page.goto(f"{live_server.url}/command-center/private-rows")
        page.click("#private-rows button[value=on]")
        page.wait_for_selector("text=Private rows turned on")
        page.screenshot(path="/tmp/shots/private_rows_on.png", full_page=True)
        wide = page.evaluate("() => document.documentElement.scrollWidth")
        on = PrivateRows.load().enabled
        bea = stack["plextv"].filters[2]["filterMovies"]
        page.click("#private-rows button[value=off]")
        page.wait_for_selector("text=Private rows turned off")
        errors = list(page.errors)
    assert on and bea.startswith("contentRating!=R,label!=other_tool,label!=imm_")
    assert wide <= 390
    assert errors == []
    assert stack["plextv"].filters == before and not PrivateRows.load().enabled
