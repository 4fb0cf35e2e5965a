"""Task Manager, Rewind, Logs and the Dashboard in a real browser: Run now shows progress, then
the report; filters and following work through htmx; no console errors (the CSP forbids inline
code)."""

from __future__ import annotations

import threading
import time
from contextlib import contextmanager

import pytest
from playwright.sync_api import expect

from jobs import runner
from jobs.models import JobRun, JobSetting, LogLine
from tests.browser import browser_page, sign_in
from tests.core.procs import wait_for
from tests.jobs.test_jobdefs import a_seed

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


@contextmanager
def worker_thread():
    """Runs queued runs (chained ones too) in this process once the returned event is set, so
    the page first shows a run that is still waiting for a worker."""
    go, stop = threading.Event(), threading.Event()

    def work():
        from django.db import connection

        try:
            go.wait(60)
            while not stop.is_set():
                run = JobRun.objects.filter(status="queued").order_by("pk").first()
                if run is None:
                    time.sleep(0.1)
                else:
                    runner.execute(run.pk)
        finally:
            connection.close()

    thread = threading.Thread(target=work, name="test-worker", daemon=True)
    thread.start()
    try:
        yield go
    finally:
        go.set()
        stop.set()
        thread.join(timeout=20)


def test_browser_run_now_progress_report_rewind_logs_dashboard(live_server, chromium_path, stack,
                                                         admin_user):
    seed, base = a_seed(stack), live_server.url
    with worker_thread() as go, browser_page(chromium_path) as page:
        sign_in(page, base)
        page.goto(f"{base}/tasks")
        card = page.locator("#job-immaculate_taste")
        card.locator("input[name=seed_title]").fill(seed.title)
        card.locator("input[name=seed_year]").fill(str(seed.year))
        card.locator("button[name=go]").click()

        waiting = card.locator(".run-progress[data-status=queued]")
        waiting.wait_for()
        assert "waiting for a worker" in waiting.inner_text()
        assert waiting.locator("progress").count() == 1
        go.set()
        done = card.locator(".run-progress[data-status=succeeded]")
        done.wait_for(timeout=30_000)
        assert done.locator(".summary").inner_text().startswith("10 picks for Ava Owner")
        assert done.locator("ul.steps li").count() == 4  # index, watched, suggest, dataset
        assert "Ava Owner · Movies · Movie" in done.inner_text()

        done.locator("a.button", has_text="Open the report").click()
        page.wait_for_url(f"{base}/rewind/*")
        assert page.locator("h1").inner_text().startswith("Immaculate Taste Collection")
        assert page.locator(".generated-list tbody tr").count() == 10
        assert page.locator(".service-card[data-service=tmdb] .badge").inner_text() == "ok"
        taste = JobRun.objects.get(job="immaculate_taste")
        child = wait_for(lambda: taste.children.filter(status="succeeded").first(), 20, 0.2)
        assert child, list(taste.children.values_list("status", "reason"))
        page.reload()
        page.locator(f"a[href='/rewind/{child.pk}']").click()
        page.wait_for_url(f"{base}/rewind/{child.pk}")
        plan = page.locator(".plan").inner_text()
        assert "Inspired by your Immaculate Taste (Ava Owner)" in plan

        page.goto(f"{base}/rewind")
        assert page.locator("tr.run-row").count() == 2
        assert page.locator("tr.run-row", has_text="Ava Owner · Movies").count() == 2
        page.select_option("select[name=job]", "immaculate_taste_refresher")
        # A locator wait, not wait_for_function: polling a string predicate needs eval, which
        # the CSP forbids (it only passed when the first check was already true).
        expect(page.locator("tr.run-row")).to_have_count(1)
        assert "job=immaculate_taste_refresher" in page.url

        page.goto(f"{base}/logs")
        assert page.locator("#log-lines li", has_text="Started (manual)").count() == 1
        page.select_option("select[name=level]", "WARNING")
        page.locator("#log-lines li.empty").wait_for()
        LogLine.objects.create(job="immaculate_taste", level=30, message="Plex is slow today")
        page.locator("#log-lines li", has_text="Plex is slow today").wait_for(timeout=10_000)

        page.goto(f"{base}/tasks")
        page.locator("#job-immaculate_taste input[name=auto_run]").uncheck()
        wait_for(lambda: JobSetting.objects.filter(job="immaculate_taste", auto_run=False)
                 .exists(), 10, 0.2)
        page.wait_for_load_state("networkidle")
        assert not page.locator("#job-immaculate_taste input[name=auto_run]").is_checked()

        page.goto(f"{base}/")
        owner = page.locator("tr.dataset-row[data-viewer='Ava Owner'][data-library='Movies']")
        assert int(owner.locator("td.active").inner_text()) > 0
        page.locator(f".last-runs a[href='/rewind/{taste.pk}']").click()
        page.wait_for_url(f"{base}/rewind/{taste.pk}")

        assert page.errors == []
    assert JobSetting.objects.get(job="immaculate_taste").auto_run is False


def test_browser_schedule_editor_preset_cron_line_timezone_and_bad_line(live_server,
                                                                       chromium_path,
                                                                       admin_user):
    from django_celery_beat.models import PeriodicTask

    from jobs import schedules

    schedules.ensure_job_schedules()
    base = live_server.url

    def saved():
        return PeriodicTask.objects.select_related("crontab").get(
            name="jobs: immaculate_taste_refresher")

    def cron(task) -> tuple:
        c = task.crontab
        return (c.minute, c.hour, c.day_of_month, c.month_of_year, c.day_of_week,
                str(c.timezone))

    with browser_page(chromium_path) as page:
        sign_in(page, base)
        page.goto(f"{base}/tasks")
        card = page.locator("#job-immaculate_taste_refresher")
        card.locator("details.schedule summary").click()
        expect(card.locator(".next-run")).to_contain_text("Next run: ")
        expect(card.locator("select[name=weekday]")).to_be_hidden()  # daily: a time only
        expect(card.locator("input[name=cron]")).to_be_hidden()
        card.locator("select[name=preset]").select_option("weekly")
        expect(card.locator("select[name=weekday]")).to_be_visible()
        expect(card.locator("input[name=day]")).to_be_hidden()
        card.locator("input[name=time]").fill("04:15")
        card.locator("select[name=weekday]").select_option("1")
        card.locator("select[name=timezone]").select_option("Europe/Paris")
        card.locator("button", has_text="Save schedule").click()
        weekly = wait_for(lambda: cron(saved())[1] == "4" and saved(), 10, 0.2)
        assert cron(weekly) == ("15", "4", "*", "*", "1", "Europe/Paris")
        expect(card.locator(".badge", has_text="Scheduled")).to_contain_text(
            weekly.crontab.human_readable)

        card.locator("details.schedule summary").click()
        assert card.locator("select[name=preset]").input_value() == "weekly"
        assert card.locator("input[name=cron]").input_value() == "15 4 * * 1"
        card.locator("select[name=preset]").select_option("cron")
        expect(card.locator("input[name=time]")).to_be_hidden()
        card.locator("input[name=cron]").fill("30 5 1,15 * *")
        card.locator("select[name=timezone]").select_option("Asia/Tokyo")
        card.locator("input[name=enabled]").uncheck()
        card.locator("button", has_text="Save schedule").click()
        by_line = wait_for(lambda: cron(saved())[0] == "30" and saved(), 10, 0.2)
        assert cron(by_line) == ("30", "5", "1,15", "*", "*", "Asia/Tokyo")
        assert by_line.enabled is False
        expect(card.locator(".badge", has_text="Scheduled")).to_contain_text(
            by_line.crontab.human_readable)  # the card was swapped in

        card.locator("details.schedule summary").click()
        card.locator("input[name=cron]").fill("61 5 * * *")
        card.locator("button", has_text="Save schedule").click()
        error = card.locator("details.schedule[open] .form-error")
        expect(error).to_contain_text("Cron field '61' is not valid")
        assert card.locator("input[name=cron]").input_value() == "61 5 * * *"
        assert cron(saved()) == cron(by_line)

        page.reload()
        assert card.locator("select[name=preset]").input_value() == "cron"
        assert card.locator("input[name=cron]").input_value() == "30 5 1,15 * *"
        assert not card.locator("input[name=auto_run]").is_checked()
        assert page.errors == []
