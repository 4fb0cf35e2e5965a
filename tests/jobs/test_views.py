"""Task Manager, Rewind and Logs pages: owner and anonymous, full page and htmx fragments."""

from __future__ import annotations

import pytest
from django_celery_beat.models import PeriodicTask

from jobs import registry
from jobs.dispatch import dispatch, record_skip
from jobs.models import JobRun, JobSetting, LogLine, Status
from jobs.textreport import render_text

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.mark.parametrize("url", ["/tasks", "/rewind", "/logs"])
def test_pages_anonymous_redirected_to_login(client, admin_user, url):
    response = client.get(url)

    assert response.status_code == 302 and response["Location"].startswith("/login?next=")


def test_task_manager_owner_sees_a_card_per_job(admin_client):
    response = admin_client.get("/tasks")

    html = response.content.decode()
    for key in ("immaculate_taste", "immaculate_taste_refresher", "latest_watched",
                "latest_watched_refresher", "fresh_out_of_the_oven"):
        assert f'id="job-{key}"' in html
    assert "/webhooks/plex?token=" in html


def test_default_schedules_exist_after_migrate():
    rows = {t.name: t for t in PeriodicTask.objects.filter(name__startswith="jobs: ")}

    assert {n: (t.crontab.hour, t.crontab.minute) for n, t in rows.items()} == {
        "jobs: immaculate_taste_refresher": ("3", "0"),
        "jobs: latest_watched_refresher": ("2", "0"),
        "jobs: fresh_out_of_the_oven": ("2", "30"),
        "jobs: monitor_confirm": ("1", "0"),
        "jobs: arr_monitored_search": ("4", "0")}
    assert PeriodicTask.objects.get(name="immaculaterr.jobs.poll_sessions").interval.every == 5
    assert PeriodicTask.objects.filter(name="immaculaterr.jobs.sweep").exists()


def test_ensure_schedules_idempotent_and_keeps_edits():
    from jobs.schedules import crontab_of, ensure_job_schedules

    task = PeriodicTask.objects.get(name="jobs: fresh_out_of_the_oven")
    task.crontab = crontab_of("15 6 * * 1", "UTC")
    task.save()

    ensure_job_schedules()
    ensure_job_schedules()

    task.refresh_from_db()
    scheduled = [spec for spec in registry.all_jobs() if spec.scheduled]
    assert PeriodicTask.objects.filter(name__startswith="jobs: ").count() == len(scheduled) >= 5
    assert (task.crontab.minute, task.crontab.hour, task.crontab.day_of_week) == ("15", "6", "1")


def test_run_now_htmx_queues_manual_dry_run_and_returns_card(admin_client, people):
    response = admin_client.post("/tasks/immaculate_taste/run",
                                 {"media_type": "movie", "seed_title": "Heat",
                                  "seed_year": "1995", "dry": "1", "viewer": "2"}, **HTMX)

    run = JobRun.objects.get()
    assert (run.job, run.trigger, run.dry_run, run.viewer_name) == (
        "immaculate_taste", "manual", True, "Bea")
    assert run.seed == {"title": "Heat", "year": 1995, "media_type": "movie",
                        "source": "manual"}
    html = response.content.decode()
    # The queued run shows at once with its Cancel; the page's poller follows it from here.
    assert 'id="job-immaculate_taste"' in html and 'data-status="queued"' in html
    assert f'action="/runs/{run.pk}/cancel"' in html
    # the seed and viewer stay as typed, for a second run with a small change
    assert 'name="seed_title" value="Heat"' in html and 'value="1995"' in html
    assert '<option value="2" selected>' in html


def test_run_now_without_seed_shows_error_and_queues_nothing(admin_client, people):
    response = admin_client.post("/tasks/latest_watched/run", {"media_type": "movie"}, **HTMX)

    assert "This job needs a seed" in response.content.decode()
    assert not JobRun.objects.exists()


def test_run_now_plain_post_redirects_to_run(admin_client, people):
    response = admin_client.post("/tasks/fresh_out_of_the_oven/run", {})

    run = JobRun.objects.get()
    assert response["Location"] == f"/rewind/{run.pk}"


def test_run_now_unknown_job_404(admin_client):
    assert admin_client.post("/tasks/nope/run", {}).status_code == 404


def test_auto_run_toggle_off_for_plex_triggered_job(admin_client):
    admin_client.post("/tasks/immaculate_taste/auto-run", {}, **HTMX)

    assert JobSetting.objects.get(job="immaculate_taste").auto_run is False


def test_auto_run_toggle_for_scheduled_job_disables_schedule(admin_client):
    admin_client.post("/tasks/latest_watched_refresher/auto-run", {}, **HTMX)

    assert PeriodicTask.objects.get(name="jobs: latest_watched_refresher").enabled is False


def test_schedule_weekly_preset_saved(admin_client):
    response = admin_client.post("/tasks/immaculate_taste_refresher/schedule",
                                 {"preset": "weekly", "time": "04:15", "weekday": "0",
                                  "timezone": "Europe/Paris", "enabled": "on"}, **HTMX)

    c = PeriodicTask.objects.get(name="jobs: immaculate_taste_refresher").crontab
    assert (c.minute, c.hour, c.day_of_week, str(c.timezone)) == ("15", "4", "0",
                                                                  "Europe/Paris")
    assert response.status_code == 200


def test_schedule_bad_cron_rejected(admin_client):
    response = admin_client.post("/tasks/immaculate_taste_refresher/schedule",
                                 {"preset": "cron", "cron": "61 * * *", "timezone": "UTC"},
                                 **HTMX)

    c = PeriodicTask.objects.get(name="jobs: immaculate_taste_refresher").crontab
    assert "five fields" in response.content.decode()
    assert (c.minute, c.hour) == ("0", "3")


def test_progress_fragment_polls_while_running_and_stops_after(admin_client):
    run = dispatch("fresh_out_of_the_oven", enqueue_now=False)
    JobRun.objects.filter(pk=run.pk).update(status=Status.RUNNING, step="Bea · Movies",
                                            current=1, total=4)
    running = admin_client.get(f"/runs/{run.pk}/progress", **HTMX)
    JobRun.objects.filter(pk=run.pk).update(status=Status.SUCCEEDED)

    done = admin_client.get(f"/runs/{run.pk}/progress", **HTMX)

    assert running.status_code == 200 and 'hx-trigger="every 1s"' in running.content.decode()
    assert 'value="25"' in running.content.decode()
    assert done.status_code == 286 and "hx-trigger" not in done.content.decode()


def test_rewind_filters_by_job_status_and_viewer(admin_client, people):
    from jobs.context import Scope

    record_skip("immaculate_taste", "too_short", scope=Scope(2, "Bea", "1", "Movies", "movie"))
    record_skip("immaculate_taste", "auto_run_off", scope=Scope(3, "Cy", "1", "Movies", "movie"))
    dispatch("fresh_out_of_the_oven", enqueue_now=False)

    response = admin_client.get("/rewind?job=immaculate_taste&status=skipped&viewer=2", **HTMX)

    html = response.content.decode()
    assert html.count('class="run-row"') == 1 and "too_short" in html
    assert "<html" not in html


def test_run_page_shows_report_sections(admin_client):
    run = dispatch("immaculate_taste", enqueue_now=False)
    JobRun.objects.filter(pk=run.pk).update(status=Status.SUCCEEDED, report={
        "summary": "3 picks.", "steps": [{"name": "suggest", "status": "ok",
                                          "counts": {"picks": 3}, "duration_ms": 12}],
        "services": [{"name": "tmdb", "status": "ok", "detail": "", "suggested": ["Ronin"]},
                     {"name": "openai", "status": "not_enabled", "detail": "",
                      "suggested": []}],
        "lists": [{"title": "Picks", "scope": "", "items": [
            {"title": "Ronin", "year": 1998, "why": "Because you watched Heat"}]}],
        "plan": [{"row": "Inspired (Bea)", "action": "update", "add": ["Ronin"],
                  "remove": [], "moves": 1, "scope": "Bea"}],
        "skips": [], "scopes": [], "notes": []})
    LogLine.objects.create(run=run, job=run.job, message="hello from the run")

    html = admin_client.get(f"/rewind/{run.pk}").content.decode()

    for text in ("3 picks.", "Because you watched Heat", "not enabled", "Inspired (Bea)",
                 "hello from the run", "12 ms"):
        assert text in html


def test_logs_follow_returns_only_new_lines_out_of_band(admin_client):
    old = LogLine.objects.create(job="immaculate_taste", message="old line")
    LogLine.objects.create(job="immaculate_taste", level=40, message="new error")
    LogLine.objects.create(job="fresh_out_of_the_oven", message="other job")

    response = admin_client.get(
        f"/logs?after={old.pk}&level=WARNING&job=immaculate_taste", **HTMX)

    html = response.content.decode()
    assert "new error" in html and "old line" not in html and "other job" not in html
    assert 'hx-swap-oob="afterbegin:#log-lines"' in html


def test_logs_page_filters_by_run(admin_client):
    run = dispatch("immaculate_taste", enqueue_now=False)
    LogLine.objects.create(run=run, job=run.job, message="mine")
    LogLine.objects.create(job=run.job, message="not mine")

    html = admin_client.get(f"/logs?run={run.pk}").content.decode()

    assert "mine" in html and "not mine" not in html


def test_rewind_list_does_not_load_the_reports(admin_client, people):
    """Issue 9 item 19: the list never selects the report column (each can be large)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(3):
        run = dispatch("fresh_out_of_the_oven", enqueue_now=False)
        JobRun.objects.filter(pk=run.pk).update(report={"lists": [{"items": ["x" * 1000]}]})

    with CaptureQueriesContext(connection) as queries:
        response = admin_client.get("/rewind")

    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('class="run-row"') == 3
    run_selects = [q["sql"] for q in queries.captured_queries
                   if 'FROM "jobs_jobrun"' in q["sql"] and q["sql"].startswith("SELECT")]
    assert run_selects
    assert not [sql for sql in run_selects if '"jobs_jobrun"."report"' in sql], run_selects
    assert len(run_selects) <= 3  # count, viewers, the page: no deferred load per row


def test_schedule_card_says_when_it_runs_next(admin_client):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from jobs import schedules

    task = schedules.job_schedule("immaculate_taste_refresher")  # 03:00 every day
    upcoming = schedules.next_run(task)
    page = admin_client.get("/tasks").content.decode()

    assert upcoming.hour == 3 and upcoming.minute == 0
    assert 0 < (upcoming - datetime.now(ZoneInfo("UTC"))).total_seconds() <= 24 * 3600
    assert f"Next run: {upcoming:%a} {upcoming.day} {upcoming:%b}, 03:00" in page
    task.enabled = False
    task.save()
    assert schedules.next_run(task) is None
    assert "Not scheduled: the schedule is off." in admin_client.get("/tasks").content.decode()


def test_counts_are_named_in_words_on_the_run_page_task_manager_and_run_job_text(admin_client):
    run = dispatch("immaculate_taste", enqueue_now=False)
    JobRun.objects.filter(pk=run.pk).update(status=Status.SUCCEEDED, report={
        "summary": "3 picks.", "steps": [{"name": "suggest", "status": "ok", "duration_ms": 12,
                                          "counts": {"picks": 3, "in_plex": 2}}],
        "scopes": [{"scope": "Bea · Movies", "status": "ok",
                    "counts": {"rows": 3, "rows_changed": 1}}]})
    run.refresh_from_db()

    pages = [admin_client.get(f"/rewind/{run.pk}").content.decode(),
             admin_client.get("/tasks").content.decode(), render_text(run)]

    for text in pages:
        assert "in Plex 2" in text and "in_plex" not in text
    assert "rows changed 1" in pages[0] and "rows changed 1" in pages[2]
    assert "rows_changed" not in pages[0] + pages[2]
