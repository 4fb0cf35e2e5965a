"""The deck in Chromium on a 390 px phone: keys and touch drags decide, Z undoes, a reload
shows the same next card, the apply sends exactly the approved title; no horizontal scroll
and no console errors."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from observatory import tasks
from recommendations.models import MissingSend, RejectedTitle
from tests.browser import browser_page
from tests.jobs.test_browser import sign_in
from tests.observatory.conftest import titles, waiting

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]
IDS = [1003, 1005, 1007, 1010, 1012, 1014, 1016, 1018, 1020, 1022]
SHOT = "/tmp/observatory-deck-390.png"
END_SHOT = SHOT.replace("deck-390", "deck-end-390")


def top(page):
    return page.locator("#deck .swipe-card.top")


def touch_drag(page, dx: int) -> None:
    """A finger on the card moving sideways by dx pixels (touch pointer events)."""
    box = top(page).bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 3
    cdp = page.context.new_cdp_session(page)
    cdp.send("Emulation.setTouchEmulationEnabled", {"enabled": True, "maxTouchPoints": 1})
    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart",
                                          "touchPoints": [{"x": x, "y": y}]})
    for step in range(1, 11):
        cdp.send("Input.dispatchTouchEvent", {"type": "touchMove",
                                              "touchPoints": [{"x": x + dx * step / 10,
                                                               "y": y}]})
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})


def test_deck_keys_touch_undo_reload_and_send_on_a_phone(live_server, chromium_path, who,
                                                         admin_user, arr, syncs, enqueued):
    people, libs = who
    bea, movies = people["bea"], libs["1"]
    titles(people, libs, IDS)
    waiting(people, libs, IDS[:2])
    url = f"{live_server.url}/observatory?viewer={bea.pk}&library={movies.pk}"
    with browser_page(chromium_path) as page:
        page.set_viewport_size({"width": 390, "height": 844})
        sign_in(page, live_server.url)
        page.goto(url)
        status = page.locator("#deck-status")
        expect(page.locator(".deck-head")).to_contain_text("Approval pass")
        expect(page.locator(".deck-head")).to_contain_text("2 cards left")

        page.keyboard.press("ArrowRight")
        expect(status).to_have_text("Approved Title 1003 — sent to Radarr in a moment")
        page.keyboard.press("ArrowLeft")
        expect(status).to_have_text("Rejected Title 1005 — on the rejected list")
        expect(page.locator(".deck-head")).to_contain_text("Review pass")
        page.keyboard.press("z")
        expect(status).to_have_text("Undone: Title 1005 is waiting for approval again")
        expect(top(page)).to_have_attribute("data-tmdb", "1005")
        page.keyboard.press("ArrowLeft")
        expect(status).to_contain_text("Rejected Title 1005")

        page.reload()
        expect(top(page)).to_have_attribute("data-tmdb", "1007")
        touch_drag(page, 40)  # too short: springs back
        page.wait_for_timeout(400)
        expect(top(page)).to_have_attribute("data-tmdb", "1007")
        touch_drag(page, 200)
        expect(status).to_have_text("Kept Title 1007")
        touch_drag(page, -200)
        expect(status).to_have_text("Removed Title 1010 — on the rejected list")
        expect(page.locator(".deck-head")).to_contain_text("6 cards left")

        wide = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        page.screenshot(path=SHOT, full_page=True)
        assert wide <= 0
        for left in range(5, 0, -1):
            page.keyboard.press("ArrowRight")
            expect(page.locator(".deck-head")).to_contain_text(f"{left} card")
        page.keyboard.press("ArrowRight")
        expect(page.locator(".summary")).to_contain_text("Deck done for Bea · Movies")
        expect(page.locator(".summary")).to_contain_text("Keep: 7")
        page.screenshot(path=END_SHOT, full_page=True)
        page.select_option("select[name=viewer]", label="Cy")
        page.select_option("select[name=library]", label="TV Shows")
        page.click("text=Open deck")
        expect(page.locator(".empty")).to_contain_text(
            "No suggestions yet for Cy · TV — run Immaculate Taste Collection.")
        assert page.errors == []

    assert len(enqueued) == 1
    cache.delete(tasks.keys(bea.pk, movies.pk)[1])
    report = tasks.apply_decisions.run(viewer_id=bea.pk, library_id=movies.pk)
    radarr = arr["radarr"]
    assert report["sent"] == 1
    assert radarr.movie_by_tmdb(1003) is not None
    assert radarr.count("POST", r"/api/v3/movie$") == 1
    assert MissingSend.objects.get(tmdb_id=1005).state == "rejected"
    assert sorted(RejectedTitle.objects.values_list("tmdb_id", flat=True)) == [1005, 1010]
    assert syncs == [("Bea", "Movies")]
