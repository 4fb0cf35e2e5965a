"""The Missing titles settings and a run's sends in Chromium: htmx saves swap the card, Overseerr
disables the direct-only switches; no sideways scroll at 390 px; no console errors."""

import os
from pathlib import Path

import pytest

from jobs.models import JobRun, JobSetting, Status
from tests.browser import browser_page, sign_in
from tests.jobs.tasksettings.test_sends import BODY, REPORT, send

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]
WIDTHS = (1280, 390)


def shots(tmp_path) -> Path:
    folder = Path(os.environ.get("SHOT_DIR") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def look(page, folder: Path, name: str) -> dict[int, int]:
    """Screenshot at each width; returns the page's scroll width at each."""
    widths = {}
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        widths[width] = page.evaluate("() => document.documentElement.scrollWidth")
        page.screenshot(path=str(folder / f"{name}-{width}.png"), full_page=True)
    return widths


def test_browser_missing_titles_card_saves_and_disables(live_server, chromium_path, admin_user,
                                                        tmp_path):
    base, folder = live_server.url, shots(tmp_path)
    with browser_page(chromium_path) as page:
        sign_in(page, base)
        page.goto(f"{base}/tasks")
        card = page.locator("#job-immaculate_taste")
        card.locator("input[name=fetch_missing]").check()
        card.locator("[role=status]").wait_for()
        card.locator("input[name=search_now]").check()
        page.wait_for_function("() => document.querySelector("
                               "'#job-immaculate_taste input[name=search_now]').checked")
        page.wait_for_timeout(300)
        assert JobSetting.objects.get(job="immaculate_taste").search_now is True

        card.locator("input[name=route][value=overseerr]").check()
        card.locator("text=sends to Overseerr").wait_for()
        widths = look(page, folder, "task-manager")

        assert card.locator("input[name=approval]").is_disabled()
        assert card.locator("input[name=search_now]").is_disabled()
        s = JobSetting.objects.get(job="immaculate_taste")
        assert (s.fetch_missing, s.route, s.search_now) == (True, "overseerr", False)
        assert widths == {1280: 1280, 390: 390} and page.errors == []


def test_browser_run_page_sends_fit_a_phone(live_server, chromium_path, admin_user, tmp_path):
    request = {"method": "POST", "path": "/api/v3/movie", "body": BODY}
    dry = JobRun.objects.create(job="immaculate_taste", trigger="manual", dry_run=True,
                                status=Status.SUCCEEDED, report={"sends": [
                                    send("radarr", "The Velvet Mirror", "to_send",
                                         "Would be added to Radarr with search.",
                                         request=request)]})
    sent = JobRun.objects.create(job="immaculate_taste", trigger="manual",
                                 status=Status.PARTIAL, report=REPORT)
    base, folder = live_server.url, shots(tmp_path)
    with browser_page(chromium_path) as page:
        sign_in(page, base)
        page.goto(f"{base}/rewind/{dry.pk}")
        dry_widths = look(page, folder, "run-dry")
        pre = page.locator("pre.would-send")
        assert '"rootFolderPath": "/movies"' in pre.inner_text()
        page.goto(f"{base}/rewind/{sent.pk}")
        sent_widths = look(page, folder, "run-sent")

        assert page.locator(".send-card").count() == 2
        assert dry_widths == sent_widths == {1280: 1280, 390: 390} and page.errors == []
