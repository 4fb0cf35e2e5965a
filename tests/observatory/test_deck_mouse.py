"""Mouse drags on the deck at desktop width (Chromium): a drag to the right past the threshold
decides the top card (approve, then keep), a short drag springs back and saves nothing, and
after each decision the focus is on the deck, so the arrow keys go on working; 0 console
errors. Bea · Movies of tests/observatory/conftest.py's `deck` (two titles waiting for
approval, then three to review); the apply is only enqueued (`enqueued`), nothing is sent."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from observatory.models import Decision
from tests.browser import browser_page, sign_in
from tests.observatory.test_deck_browser import top

pytestmark = pytest.mark.django_db(transaction=True)
WIDTH, HEIGHT = 1280, 800
FOCUS_ON_DECK = ("(() => { const deck = document.getElementById('deck');"
                 " return !!deck && deck.contains(document.activeElement); })()")


def mouse_drag(page, dx: int) -> None:
    """The mouse pressed on the top card, moved sideways by dx pixels, released."""
    box = top(page).bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 3
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + dx, y, steps=10)
    page.mouse.up()


def decisions() -> list[tuple[int, str]]:
    return list(Decision.objects.order_by("pk").values_list("tmdb_id", "action"))


def test_mouse_drags_decide_or_spring_back_and_focus_stays_on_the_deck(
        live_server, chromium_path, deck, arr, enqueued, admin_user):
    with browser_page(chromium_path) as page:
        page.set_viewport_size({"width": WIDTH, "height": HEIGHT})
        sign_in(page, live_server.url)
        page.goto(f"{live_server.url}/observatory?viewer={deck['bea'].pk}"
                  f"&library={deck['movies'].pk}")
        status, board = page.locator("#deck-status"), page.locator("#deck")
        expect(board).to_have_attribute("aria-busy", "false")
        expect(top(page)).to_have_attribute("data-tmdb", "1003")
        rest = top(page).bounding_box()["x"]

        mouse_drag(page, 40)  # short of the threshold: springs back
        page.wait_for_timeout(400)  # the CSS transition back
        expect(top(page)).to_have_attribute("data-tmdb", "1003")
        assert abs(top(page).bounding_box()["x"] - rest) < 1
        assert decisions() == []
        expect(status).to_have_text("")

        mouse_drag(page, 200)
        expect(status).to_have_text("Approved Title 1003 — sent to Radarr in a moment")
        expect(top(page)).to_have_attribute("data-tmdb", "1005")
        expect(board).to_have_attribute("aria-busy", "false")
        assert decisions() == [(1003, "approve")]
        assert page.evaluate(FOCUS_ON_DECK)

        page.keyboard.press("ArrowRight")  # the keys still work after a mouse decision
        expect(status).to_have_text("Approved Title 1005 — sent to Radarr in a moment")
        expect(page.locator(".deck-head")).to_contain_text("Review pass")
        expect(board).to_have_attribute("aria-busy", "false")
        assert page.evaluate(FOCUS_ON_DECK)

        mouse_drag(page, 200)  # the new card takes drags too
        expect(status).to_have_text("Kept Title 1007")
        expect(board).to_have_attribute("aria-busy", "false")
        assert page.evaluate(FOCUS_ON_DECK)
        page.keyboard.press("ArrowLeft")
        expect(status).to_have_text("Removed Title 1010 — on the rejected list")

        assert decisions() == [(1003, "approve"), (1005, "approve"), (1007, "keep"),
                               (1010, "remove")]
        assert page.errors == []
