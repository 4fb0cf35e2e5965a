"""Must-show 2: every page of the URL conf (and the htmx fragments those pages load, poll or
swap in) as the admin in Chromium at 1280 and 390 px: no console errors (the strict CSP
reports inline styles and scripts there), no failed requests, and at 390 px no sideways
scroll. The pages are the GET pages of immaculaterr/urls.py; POST-only endpoints and the
fragments are reached through the pages that use them."""

from __future__ import annotations

import pytest

from jobs.context import Scope
from jobs.models import JobRun
from tests.browser import browser_page, sign_in
from tests.jobs.conftest import people, stack  # noqa: F401 - the jobs tests' doubles
from tests.jobs.test_plex_down_mid_run import run_sync

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

PAGES = ["/", "/help", "/vault", "/command-center", "/command-center/cleanup", "/tasks",
         "/rewind", "/rewind/{run}", "/logs", "/observatory", "/observatory/rejected",
         "/onboarding", "/admin/", "/no-such-page"]
EXPECTED_STATUS = {"/no-such-page": 404}
WIDTHS = (1280, 390)


def watch_requests(page) -> list[str]:
    failed: list[str] = []

    def lost(request):
        # The next page.goto cancels a live-page poll (static/js/live.js, every 2 s) that was
        # on its way: the browser's own abort on navigation, not a failure of the page.
        if request.failure == "net::ERR_ABORTED" and request.resource_type in ("fetch", "xhr"):
            return
        failed.append(f"{request.url} {request.failure}")

    page.on("requestfailed", lost)

    def answered(response):
        path = "/" + response.url.split("/", 3)[-1]
        if response.status >= 400 and EXPECTED_STATUS.get(path) != response.status:
            failed.append(f"{response.url} {response.status}")

    page.on("response", answered)
    return failed


def visit(page, url: str, width: int) -> dict:
    page.set_viewport_size({"width": width, "height": 900})
    before = len(page.errors)
    page.goto(url)
    page.wait_for_load_state("networkidle")
    return {"errors": page.errors[before:],
            "scroll": page.evaluate("() => document.documentElement.scrollWidth")}


def test_every_page_both_widths_no_console_errors_no_failed_requests_no_sideways_scroll(
        live_server, chromium_path, stack, admin_user):  # noqa: F811 - the fixture
    base = live_server.url
    scope = Scope.of(stack["viewers"]["bea"], stack["libraries"]["1"], "movie")
    taste = run_sync("immaculate_taste", scope,
                     seed={"rating_key": str(min(stack["plex"].library.items)),
                           "media_type": "movie"})
    run = JobRun.objects.filter(parent=taste).first() or taste
    problems: dict[str, list] = {}
    with browser_page(chromium_path) as page:
        failed = watch_requests(page)
        sign_in(page, base)
        for width in WIDTHS:
            for path in PAGES:
                path = path.format(run=run.pk)
                seen_failed = len(failed)
                got = visit(page, f"{base}{path}", width)
                errors = [e for e in got["errors"] if not (  # Chromium logs a 404 page
                    path in EXPECTED_STATUS and "status of 404" in e)]
                trouble = errors + failed[seen_failed:]
                if width == 390 and got["scroll"] > 390:
                    trouble.append(f"scrollWidth {got['scroll']} > 390")
                if trouble:
                    problems[f"{path} @ {width}"] = trouble
                if width == 390:
                    page.screenshot(path=f"/tmp/shots/page{path.replace('/', '_')}_390.png",
                                    full_page=True)
        # Fragments swapped in by the pages' own controls.
        for path, select, value in (("/rewind", "select[name=status]", "succeeded"),
                                    ("/logs", "select[name=level]", "WARNING")):
            seen_failed, before = len(failed), len(page.errors)
            page.goto(f"{base}{path}")
            page.select_option(select, value)
            page.wait_for_load_state("networkidle")
            page.wait_for_timeout(300)
            trouble = page.errors[before:] + failed[seen_failed:]
            if trouble:
                problems[f"{path} filter"] = trouble
    assert problems == {}, "\n".join(f"{k}: {v}" for k, v in problems.items())
