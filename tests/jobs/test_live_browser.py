"""Must-show 3: an auto run started by a viewer's session in the Plex double (a real worker and
beat's poller) appears on an open Task Manager and Dashboard within 10 s, without a reload,
and turns finished on its own; then Cancel from a card stops a queued run."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import expect

from jobs.models import JobRun, JobSetting
from tests.browser import browser_page, sign_in, watch_errors
from tests.core.procs import wait_for
from tests.jobs import procs
from tests.jobs.test_jobdefs import a_seed
from tests.jobs.test_worker_taste import only_the_poller

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def second_page(page, base: str):
    """A second window (its own context, signed in too)."""
    other = watch_errors(page.context.browser.new_context().new_page())
    sign_in(other, base)
    return other


def count_navigations(page) -> list:
    seen = []
    page.on("framenavigated", lambda frame: frame == page.main_frame and seen.append(frame.url))
    return seen


def test_auto_run_from_plex_session_appears_live_on_task_manager_and_dashboard(
        live_server, chromium_path, stack, admin_user, tmp_path):
    plex, base = stack["plex"], live_server.url
    JobSetting.objects.create(job="latest_watched", auto_run=False)  # one job under test
    only_the_poller(2)
    seed = a_seed(stack)
    with procs.processes() as started, browser_page(chromium_path) as tasks:
        started.append(procs.start_worker("live", tmp_path, TMDB_BASE_URL=stack["tmdb"].base))
        started.append(procs.start_beat(tmp_path))
        sign_in(tasks, base)
        tasks.goto(f"{base}/tasks")
        dash = second_page(tasks, base)
        dash.goto(f"{base}/")
        card = tasks.locator("#live-immaculate_taste")
        expect(card).to_contain_text("Never run")
        assert dash.locator(".last-runs tr.run-row").count() == 0
        navigations = count_navigations(tasks), count_navigations(dash)
        assert wait_for(lambda: plex.count("GET", r"^/status/sessions$") > 0, timeout=30), \
            procs.tail(started[1])

        duration = plex.library.items[seed.rating_key].duration_ms
        plex.set_session(2, seed.rating_key, int(duration * 0.75))
        set_at = time.monotonic()
        tasks.bring_to_front()
        card.locator(".run-progress").wait_for(timeout=10_000)
        dash_row = dash.locator(".last-runs tr.run-row", has_text="Immaculate Taste Collection")
        dash_row.first.wait_for(timeout=max(1, 10 - (time.monotonic() - set_at)) * 1000)
        appeared_s = time.monotonic() - set_at
        assert appeared_s < 10, appeared_s
        print(f"auto run on both pages {appeared_s:.1f} s after the session crossed 70%")
        run = JobRun.objects.get(job="immaculate_taste")
        assert run.trigger == "auto" and run.viewer_name == "Bea"
        expect(card.locator(".last-run")).to_contain_text("Auto (Plex)")

        done = card.locator(".run-progress[data-status=succeeded]")
        done.wait_for(timeout=60_000)
        expect(card.locator(".last-run .badge")).to_have_text("Succeeded")
        expect(done.locator(".summary")).to_contain_text("picks for Bea")
        expect(dash_row.first.locator(".badge")).to_have_text("Succeeded", timeout=10_000)
        owner = dash.locator("tr.dataset-row[data-viewer='Bea'][data-library='Movies']")
        expect(owner).to_be_visible(timeout=10_000)  # the datasets section came along
        card.scroll_into_view_if_needed()
        tasks.screenshot(path="/tmp/shots/live_tasks.png")
        assert navigations == ([], []), navigations  # no reloads: htmx did it all
        assert tasks.errors == [] and dash.errors == [], (tasks.errors, dash.errors)


def test_cancel_from_card_and_back_after_report_show_the_current_state(
        live_server, chromium_path, people, admin_user):
    from jobs.dispatch import create_run
    from jobs.models import Trigger

    base = live_server.url
    queued = create_run("immaculate_taste_refresher", trigger=Trigger.SCHEDULE)
    with browser_page(chromium_path) as page:
        sign_in(page, base)
        page.goto(f"{base}/tasks")
        card = page.locator("#live-immaculate_taste_refresher")
        expect(card.locator(".last-run .badge")).to_have_text("Queued")
        card.locator("button", has_text="Cancel").click()
        expect(card.locator(".last-run .badge")).to_have_text("Cancelled", timeout=5_000)
        expect(card.locator(".reason")).to_contain_text("Cancelled by ava before it started.")
        assert JobRun.objects.get(pk=queued.pk).status == "cancelled"

        later = create_run("immaculate_taste_refresher", trigger=Trigger.SCHEDULE)
        expect(card.locator(".last-run .badge")).to_have_text("Queued", timeout=5_000)
        card.locator(f"a[href='/rewind/{later.pk}']").first.click()
        page.wait_for_url(f"{base}/rewind/{later.pk}")
        JobRun.objects.filter(pk=later.pk).update(status="succeeded")
        page.go_back()
        expect(card.locator(".last-run .badge")).to_have_text("Succeeded", timeout=3_000)
        assert page.errors == []
