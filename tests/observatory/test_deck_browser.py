"""Must-show 1 in Chromium at 390 px, on a real worker with Redis and the doubles: a deck of
10 cards for Bea · Movies, keyboard first, then touch drags. → on the first (approval pass)
sends exactly that title to the Radarr double after the debounce; ← on the second puts it on
the rejected list and takes it out of Bea's row in the Plex double at the next sync; Z
restores the last decision; a reload shows the same next card; no horizontal scroll, no
request to another host, 0 console errors."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from observatory.models import Decision
from recommendations.models import MissingSend, RejectedTitle
from tests.browser import browser_page, sign_in
from tests.core.procs import wait_for
from tests.jobs import procs
from tests.observatory.conftest import row_keys, seed_live

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]
SHOT = "/tmp/shots/observatory-deck-390.png"
END_SHOT = "/tmp/shots/observatory-end-390.png"


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


def test_deck_of_ten_keys_touch_undo_reload_send_and_row(live_server, chromium_path, live,
                                                         admin_user):
    import pathlib

    pathlib.Path(SHOT).parent.mkdir(exist_ok=True)
    doubles = live["doubles"]
    plex, radarr = doubles.plex, doubles.radarr
    seeded = seed_live(doubles, n_waiting=1, n_review=9)
    movies, items, wanted = seeded["movies"], seeded["items"], seeded["waiting"][0]
    first, second, third, fourth = wanted, items[0], items[1], items[2]
    assert row_keys(plex, movies) == sorted(i.rating_key for i in items)
    radarr.clear()
    ours = urlsplit(live_server.url).netloc
    with browser_page(chromium_path) as page:
        hosts = set()
        page.on("request", lambda r: hosts.add(urlsplit(r.url).netloc))
        page.set_viewport_size({"width": 390, "height": 844})
        sign_in(page, live_server.url)
        page.goto(f"{live_server.url}/observatory?viewer={seeded['bea'].pk}"
                  f"&library={movies.pk}")
        status, head = page.locator("#deck-status"), page.locator(".deck-head")
        expect(head).to_contain_text("Approval pass")
        expect(top(page)).to_have_attribute("data-tmdb", str(first.tmdb_id))
        page.screenshot(path=SHOT.replace(".png", "-view.png"))  # what the phone shows
        actions = page.locator("#deck .actions").bounding_box()
        assert 0 <= actions["y"] and actions["y"] + actions["height"] <= 844  # no scrolling

        page.keyboard.press("ArrowRight")
        expect(status).to_have_text(f"Approved {first.title} — sent to Radarr in a moment")
        expect(head).to_contain_text("Review pass")
        expect(head).to_contain_text("9 cards left")
        page.keyboard.press("ArrowLeft")
        expect(status).to_have_text(f"Removed {second.title} — on the rejected list")
        page.keyboard.press("ArrowLeft")
        expect(status).to_have_text(f"Removed {third.title} — on the rejected list")
        page.keyboard.press("z")
        expect(status).to_have_text(f"Undone: {third.title} is back in the dataset")
        expect(top(page)).to_have_attribute("data-tmdb", str(third.tmdb_id))

        page.reload()
        expect(top(page)).to_have_attribute("data-tmdb", str(third.tmdb_id))
        expect(head).to_contain_text("8 cards left")
        expect(page.locator("#deck")).to_have_attribute("aria-busy", "false")
        touch_drag(page, 40)  # too short: springs back
        page.wait_for_timeout(400)
        expect(top(page)).to_have_attribute("data-tmdb", str(third.tmdb_id))
        touch_drag(page, 200)
        expect(status).to_have_text(f"Kept {third.title}")
        expect(page.locator("#deck")).to_have_attribute("aria-busy", "false")  # next card set up
        touch_drag(page, -200)
        expect(status).to_have_text(f"Removed {fourth.title} — on the rejected list")
        expect(head).to_contain_text("6 cards left")

        wide = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        page.screenshot(path=SHOT, full_page=True)
        assert wide <= 0
        assert page.errors == []
        assert hosts == {ours}

    gone = {second.rating_key, fourth.rating_key}
    expected = sorted(i.rating_key for i in items if i.rating_key not in gone)
    assert wait_for(lambda: not Decision.objects.filter(applied_at=None).exists()
                    and row_keys(plex, movies) == expected, timeout=40, every=0.3), (
        procs.tail(live["worker"]))
    adds = [r for r in radarr.requests if (r.method, r.path) == ("POST", "/api/v3/movie")]
    assert [r.json()["tmdbId"] for r in adds] == [first.tmdb_id]
    approved = Decision.objects.get(action="approve").decided_at.timestamp()
    assert adds[0].time >= approved + 2 - 0.2  # after the debounce (2 s here), not at once
    assert radarr.movie_by_tmdb(first.tmdb_id) is not None
    assert MissingSend.objects.get(tmdb_id=first.tmdb_id).state == "sent"
    assert sorted(RejectedTitle.objects.filter(viewer=seeded["bea"])
                  .values_list("tmdb_id", flat=True)) == sorted([second.tmdb_id,
                                                                 fourth.tmdb_id])
