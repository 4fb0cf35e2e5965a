"""Must-show 1 of issue 15, in Chromium at 390 px against the doubles: a fresh install's admin
walks the onboarding (Plex by URL and token → libraries → viewers → TMDB → optional services
skipped → Auto-Run → import history → done) to the Dashboard, and once Import Plex History
has run every monitored viewer has an Immaculate Taste row in the Plex double.

The import runs on a real Celery worker process (tests/jobs/procs.py: Redis broker, the test
database, the doubles' addresses in its environment), started before the walk; the wizard's
"Import history" queues the run exactly as in production.
Every step page: 0 console errors (the CSP forbids inline code), no horizontal scroll, and a
screenshot in /tmp/shots/onboarding-<step>.png.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from immaculaterr.models import Onboarding
from jobs.models import JobRun
from tests.browser import browser_page
from tests.fakes.plex.accounts import ACCOUNTS
from tests.fakes.suite import start_all
from tests.jobs import procs
from tests.jobs.test_jobdefs import collections
from vault.models import PlexViewer

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]
SHOTS = Path("/tmp/shots")
PASSWORD = "correct-horse-battery"


@pytest.fixture
def doubles(settings):
    suite = start_all(n_movies=200, n_shows=30, seed=15)
    settings.TMDB_BASE_URL, settings.PLEX_TV_URL = suite.tmdb.base, suite.plextv.url
    settings.VAULT_HTTP_RETRIES = 0
    settings.UPDATE_CHECK_ENABLED = False  # Help's update check would ask api.github.com
    plex = suite.plex
    with plex.lock:
        movies = sorted(k for k, i in plex.library.items.items()
                        if i.kind == "movie" and i.section == 1)
    for n, account in enumerate(ACCOUNTS):  # everyone watched three films, Kiddo too
        for m in range(3):
            plex.add_history(account.id, movies[n * 10 + m], viewed_at=1_750_000_000 + m)
    yield suite
    suite.stop()


def check(page, name: str) -> None:
    """The page as a phone shows it: no sideways scroll, no console error; a screenshot."""
    page.wait_for_load_state("networkidle")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"{name}: {width} px wide"
    assert page.errors == [], f"{name}: {page.errors}"
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"onboarding-{name}.png"), full_page=True)


def test_onboarding_from_a_fresh_install_to_rows_for_every_monitored_viewer(
        live_server, chromium_path, doubles, tmp_path):
    base = live_server.url
    with procs.processes() as started, browser_page(chromium_path) as page:
        started.append(procs.start_worker("onboarding", tmp_path,
                                          TMDB_BASE_URL=doubles.tmdb.base,
                                          PLEX_TV_URL=doubles.plextv.url))
        page.set_viewport_size({"width": 390, "height": 844})
        page.goto(f"{base}/")
        page.wait_for_url(f"{base}/setup")
        check(page, "0-setup")
        page.fill("input[name=username]", "ava")
        page.fill("input[name=password]", PASSWORD)
        page.fill("input[name=password_again]", PASSWORD)
        page.click("button[type=submit]")

        page.wait_for_url(f"{base}/onboarding/plex")
        assert page.locator("#plex-signin button", has_text="Sign in with Plex").count() == 1
        check(page, "1-plex")
        page.fill("input[name=url]", doubles.plex.url)
        page.fill("input[name=token]", doubles.plex.token)
        page.click("button[value=continue]")

        page.wait_for_url(f"{base}/onboarding/libraries")
        boxes = page.locator("input[name=selected]")
        assert boxes.count() == 3  # Movies, TV Shows, Kids Movies: all preselected
        assert all(boxes.nth(i).is_checked() for i in range(3))
        check(page, "2-libraries")
        page.click("button[value=continue]")

        page.wait_for_url(f"{base}/onboarding/viewers")
        kiddo = page.locator("label.check", has_text="Kiddo").locator("input")
        kiddo.uncheck()
        check(page, "3-viewers")
        page.click("button[value=continue]")

        page.wait_for_url(f"{base}/onboarding/tmdb")
        # Leaving and coming back resumes at the step reached.
        page.goto(f"{base}/")
        page.goto(f"{base}/setup")
        page.wait_for_url(f"{base}/onboarding/tmdb")
        check(page, "4-tmdb")
        page.fill("input[name=api_key]", doubles.tmdb.api_key)
        page.click("button[value=continue]")

        page.wait_for_url(f"{base}/onboarding/services")
        page.locator("#service-radarr summary").click()
        check(page, "5-services")
        page.click("button[value=skip]")

        page.wait_for_url(f"{base}/onboarding/autorun")
        offered = page.locator("input[name=auto_run]")
        assert {"immaculate_taste", "latest_watched"} <= {
            offered.nth(i).get_attribute("value") for i in range(offered.count())}
        assert all(offered.nth(i).is_checked() for i in range(offered.count()))
        check(page, "6-autorun")
        page.click("button[value=continue]")

        page.wait_for_url(f"{base}/onboarding/import")
        assert "3 monitored viewers" in page.locator(".wizard-card").inner_text()
        check(page, "7-import")
        page.click("button[value=continue]")

        page.wait_for_url(f"{base}/onboarding/done")
        assert page.locator("#import-run").count() == 1
        ended = page.locator("#import-run:not([data-status=queued]):not([data-status=running])")
        try:
            ended.wait_for(timeout=60_000)  # the progress polls itself until the run ends
        except Exception:
            run = JobRun.objects.get(job="history_import")
            raise AssertionError((run.status, run.reason, procs.tail(started[0]))) from None
        run = JobRun.objects.get(job="history_import")
        assert run.status == "succeeded", (run.reason, procs.tail(started[0]))
        done = page.locator("#import-run[data-status=succeeded]")
        assert done.locator(".summary").inner_text().startswith(
            "Imported 9 seeds from the Plex history of Ava Owner, Bea, Cy.")
        assert "Skipped: Optional services" in page.locator(".wizard-summary").inner_text()
        check(page, "8-done")
        page.click("button[value=continue]")
        page.wait_for_url(f"{base}/")
        check(page, "9-dashboard")
        page.goto(f"{base}/setup")
        page.wait_for_url(f"{base}/")  # finished: /setup leads to the Dashboard

    run = JobRun.objects.get(job="history_import")
    assert (run.status, run.trigger) == ("succeeded", "manual"), run.reason
    monitored = sorted(PlexViewer.objects.filter(monitored=True).values_list("name", flat=True))
    assert monitored == ["Ava Owner", "Bea", "Cy"]
    rows = collections(doubles.plex)
    for name in monitored:
        assert rows.get(f"Inspired by your Immaculate Taste ({name})"), sorted(rows)
    assert not any("Kiddo" in title for title in rows)
    assert Onboarding.load().finished_at is not None


def test_onboarding_sign_in_with_plex_then_continue_reads_the_libraries(
        live_server, chromium_path, doubles, django_user_model):
    """The Plex step's Sign in with Plex is the Vault's own flow; its saved card takes the
    sign-in's place, and Continue goes on with that connection."""
    django_user_model.objects.create_superuser("ava", "", PASSWORD)
    base, choice = live_server.url, f"{doubles.plex.machine_identifier}|{doubles.plex.url}"
    with browser_page(chromium_path) as page:
        page.set_viewport_size({"width": 390, "height": 844})
        page.goto(f"{base}/login")
        page.fill("input[name=username]", "ava")
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.goto(f"{base}/setup")
        page.wait_for_url(f"{base}/onboarding/plex")
        page.click("#plex-signin button")
        page.wait_for_selector("#plex-signin >> text=Open plex.tv to approve")
        doubles.plextv.authorize_pin(doubles.plextv.last_pin().id)
        page.wait_for_selector(f'#plex-signin input[value="{choice}"]', timeout=10_000)
        page.check(f'input[value="{choice}"]')
        check(page, "1-plex-servers")
        page.click("text=Use this connection")
        page.wait_for_selector("#plex >> text=Saved.")
        check(page, "1-plex-signed-in")
        page.click("button[value=continue]")
        page.wait_for_url(f"{base}/onboarding/libraries")
        assert page.locator("input[name=selected]:checked").count() == 3
        assert page.errors == []
