"""Duplicate cleanup in Chromium at 390 px: preview, a wrong word, then DELETE turns deletion on
(through htmx); no sideways scroll, no console errors. Screenshots in /tmp/shots."""

from __future__ import annotations

from pathlib import Path

import pytest

from jobs.models import JobSetting
from tests.browser import browser_page, sign_in
from tests.jobs.hygiene.support import JOB, duplicate_into_kids

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]
SHOTS = Path("/tmp/shots")


def test_deletion_switch_in_chromium_at_390(live_server, chromium_path, admin_user, vaulted):
    duplicate_into_kids(vaulted, 8, resolution="4k", suffix=" - 4K")
    SHOTS.mkdir(exist_ok=True)
    with browser_page(chromium_path) as page:
        sign_in(page, live_server.url)
        page.set_viewport_size({"width": 390, "height": 900})
        page.goto(f"{live_server.url}/command-center")
        page.wait_for_selector("text=Deletion is off.")
        page.click("#duplicate-cleanup button[value=preview]")
        page.wait_for_selector("text=Preview (nothing deleted)")
        page.fill("#duplicate-cleanup input[name=confirm]", "yes")
        page.click("#duplicate-cleanup button[value=enable]")
        page.wait_for_selector("text=Type DELETE (capital letters) to confirm.")
        page.locator("#duplicate-cleanup").screenshot(
            path=str(SHOTS / "cc_cleanup_preview_390.png"), caret="initial")
        wide = page.evaluate("() => document.documentElement.scrollWidth")
        page.fill("#duplicate-cleanup input[name=confirm]", "DELETE")
        page.click("#duplicate-cleanup button[value=enable]")
        page.wait_for_selector("text=Deletion is on.")
        page.locator("#duplicate-cleanup").screenshot(path=str(SHOTS / "cc_cleanup_on_390.png"),
                                                   caret="initial")

    assert wide == 390
    assert JobSetting.of(JOB).delete_duplicates is True
    assert page.errors == []
    assert [r for r in vaulted.plex.requests if r.method == "DELETE"] == []


def test_rewind_report_of_a_cleanup_fits_390(live_server, chromium_path, admin_user, vaulted):
    from tests.jobs.hygiene.support import run_here

    title, _, copy = duplicate_into_kids(vaulted, 11, resolution="4k", suffix=" - 4K")
    run = run_here({"rating_keys": [copy]})
    with browser_page(chromium_path) as page:
        sign_in(page, live_server.url)
        page.set_viewport_size({"width": 390, "height": 900})
        page.goto(f"{live_server.url}/rewind/{run.pk}")
        page.wait_for_selector(f"text={title.title} ({title.year})")
        page.screenshot(path=str(SHOTS / "cleanup_run_390.png"), full_page=True,
                        caret="initial")
        wide = page.evaluate("() => document.documentElement.scrollWidth")
        text = page.inner_text("main")
    assert wide == 390
    assert "Kept: higher resolution" in text and page.errors == []
