"""Must-show 3 in Chromium with JavaScript off: the buttons (plain forms) make the same
decisions as the keys and swipes, undo included, to the end-of-deck summary; the empty state's
button really starts an Immaculate Taste Collection run for that viewer and library; the deck
links to the viewer's rejected list. Screenshots at 1280 and 390 px."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from jobs.models import JobRun
from observatory.models import Decision
from recommendations.models import MissingSend, RejectedTitle
from tests.browser import browser_page, sign_in

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]
SHOTS = Path("/tmp/shots")


def decisions() -> list[tuple[int, str, bool]]:
    return list(Decision.objects.order_by("pk").values_list("tmdb_id", "action", "undone"))


def test_buttons_without_javascript_decide_undo_summary_and_run(live_server, chromium_path,
                                                                deck, admin_user, enqueued):
    SHOTS.mkdir(exist_ok=True)
    bea, movies = deck["bea"], deck["movies"]
    with browser_page(chromium_path, java_script_enabled=False,
                      viewport={"width": 1280, "height": 900}) as page:
        errors = page.errors
        sign_in(page, live_server.url)
        page.goto(f"{live_server.url}/observatory?viewer={bea.pk}&library={movies.pk}")
        messages, head = page.locator(".messages"), page.locator(".deck-head")
        expect(head).to_contain_text("Approval pass")
        page.screenshot(path=str(SHOTS / "observatory-deck-1280.png"), full_page=True)

        page.click("text=Approve →")
        expect(messages).to_contain_text("Approved Title 1003 — sent to Radarr in a moment")
        page.click("text=← Reject")
        expect(messages).to_contain_text("Rejected Title 1005 — on the rejected list")
        page.click("text=Undo (Z)")
        expect(messages).to_contain_text("Undone: Title 1005 is waiting for approval again")
        page.click("text=← Reject")
        expect(head).to_contain_text("Review pass")
        page.click("text=Keep →")
        expect(messages).to_contain_text("Kept Title 1007")
        page.click("text=← Remove")
        expect(messages).to_contain_text("Removed Title 1010 — on the rejected list")
        page.click("text=Keep →")
        expect(page.locator(".summary")).to_contain_text("Deck done for Bea · Movies")
        expect(page.locator(".summary")).to_contain_text("Keep: 2")

        page.click("text=rejected list")
        expect(page.locator("body")).to_contain_text("Title 1010")
        assert f"viewer={bea.pk}" in page.url

        page.set_viewport_size({"width": 390, "height": 844})
        page.goto(f"{live_server.url}/observatory")
        page.select_option("select[name=viewer]", label="Cy")
        page.select_option("select[name=library]", label="TV Shows")
        page.click("text=Open deck")
        expect(page.locator(".empty")).to_contain_text(
            "No suggestions yet for Cy · TV — run Immaculate Taste Collection.")
        wide = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        page.screenshot(path=str(SHOTS / "observatory-empty-390.png"), full_page=True)
        page.fill("input[name=seed_title]", "Heat")
        page.fill("input[name=seed_year]", "1995")
        page.click("button:has-text(\"Run Immaculate Taste Collection\")")
        page.wait_for_url("**/rewind/*")

    assert wide <= 0 and errors == []
    assert decisions() == [(1003, "approve", False), (1005, "reject", True),
                           (1005, "reject", False), (1007, "keep", False),
                           (1010, "remove", False), (1012, "keep", False)]
    assert MissingSend.objects.get(tmdb_id=1005).state == "rejected"
    assert sorted(RejectedTitle.objects.values_list("tmdb_id", flat=True)) == [1005, 1010]
    run = JobRun.objects.get()
    assert (run.job, run.trigger, run.viewer_name, run.library_title, run.media_type,
            run.seed_title) == ("immaculate_taste", "manual", "Cy", "TV Shows", "tv",
                             "Heat (1995)")
