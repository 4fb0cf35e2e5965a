"""Cancelling a run (must-show 6, in process): a queued run never starts; a running run stops
on entering its next step, is recorded as cancelled with a sentence, frees its locks and keeps
only the steps it finished; the Task Manager, run page and run_job show it."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from jobs import locks, registry, runner
from jobs.dispatch import create_run, dispatch
from jobs.models import JobRun, LogLine, ScopeLock, Status, Trigger
from jobs.registry import job

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def cancel_jobs(demo_jobs):
    """`cancel_demo`: step "first" is cancelled while it works (as if the user clicked Cancel
    mid-step, unless the seed says not to), then step "second" would write a log line."""

    @job("cancel_demo", "Cancel demo")
    def cancel_demo(ctx):
        with ctx.report.step("first", items=1):
            held = locks.scope_key("cancel_demo_extra", None, "")
            ctx.held_locks.append((held, locks.acquire(held, ctx.run)))
            if not ctx.seed.get("no_cancel"):
                runner.request_cancel(ctx.run.pk, by="ava")
            ctx.log("first done")
        with ctx.report.step("second"):
            ctx.log("second wrote")
        ctx.report.summary("Both steps done.")

    yield registry.REGISTRY


def run_now(key: str, **kwargs) -> JobRun:
    run = dispatch(key, trigger=Trigger.MANUAL, enqueue_now=False, **kwargs)
    runner.execute(run.pk, sync=True)
    run.refresh_from_db()
    return run


def test_running_run_stops_at_next_step_cancelled_locks_freed_nothing_after(cancel_jobs):
    run = run_now("cancel_demo")

    assert run.status == Status.CANCELLED and run.reason_code == "cancelled"
    assert run.reason == ("Cancelled on request before the step “second”; the steps before "
                          "it were completed and kept.")
    assert [(s["name"], s["status"]) for s in run.report["steps"]] == [("first", "ok")]
    messages = list(run.lines.order_by("pk").values_list("message", flat=True))
    assert "first done" in messages and "second wrote" not in messages
    assert "Cancel requested by ava; stopping at the next step." in messages
    assert ScopeLock.objects.count() == 0  # the run's scope lock and the one it took
    assert locks.acquire(locks.scope_key("cancel_demo", None, ""), None)
    assert run.finished_at and run.cancel_requested_at and not run.children.exists()


def test_rerun_after_cancel_runs_both_steps(cancel_jobs):
    assert run_now("cancel_demo").status == Status.CANCELLED

    again = run_now("cancel_demo", seed={"no_cancel": True})

    assert again.status == Status.SUCCEEDED, again.reason
    assert [s["name"] for s in again.report["steps"]] == ["first", "second"]


def test_queued_run_cancelled_never_starts(cancel_jobs):
    run = create_run("cancel_demo", trigger=Trigger.MANUAL)

    assert runner.request_cancel(run.pk, by="ava") == "Cancelled before it started."
    outcome = runner.execute(run.pk, sync=True)

    run.refresh_from_db()
    assert (outcome.status, run.status, run.attempts) == ("cancelled", "cancelled", 0)
    assert run.reason == "Cancelled by ava before it started."
    assert not LogLine.objects.filter(message="first done").exists()


def test_cancel_asked_while_waiting_for_a_retry_finishes_it_cancelled(cancel_jobs):
    run = create_run("cancel_demo", trigger=Trigger.MANUAL)
    JobRun.objects.filter(pk=run.pk).update(cancel_requested_at=run.created_at)

    runner.execute(run.pk)

    run.refresh_from_db()
    assert (run.status, run.attempts) == ("cancelled", 0)
    assert not LogLine.objects.filter(message="first done").exists()


def test_finished_run_cannot_be_cancelled(cancel_jobs):
    run = run_now("cancel_demo", seed={"no_cancel": True})

    assert runner.request_cancel(run.pk) == "This run had already finished; nothing to cancel."
    run.refresh_from_db()
    assert run.status == Status.SUCCEEDED and run.cancel_requested_at is None


def test_cancel_button_htmx_204_refreshes_cards_and_page_post_redirects(cancel_jobs,
                                                                        admin_client):
    queued = create_run("cancel_demo", trigger=Trigger.MANUAL)
    page = admin_client.get("/tasks").content.decode()
    assert f'hx-post="/runs/{queued.pk}/cancel"' in page

    response = admin_client.post(f"/runs/{queued.pk}/cancel", **HTMX)

    assert (response.status_code, response["HX-Trigger"]) == (204, "live-refresh")
    assert JobRun.objects.get(pk=queued.pk).status == Status.CANCELLED
    other = create_run("cancel_demo", trigger=Trigger.MANUAL)
    response = admin_client.post(f"/runs/{other.pk}/cancel", follow=True)
    assert response.redirect_chain == [(f"/rewind/{other.pk}", 302)]
    html = response.content.decode()
    assert f"Run #{other.pk}: Cancelled before it started." in html
    assert "Cancelled by ava before it started." in html and "/cancel" not in html


def test_cancel_needs_post_and_csrf(cancel_jobs, admin_user):
    run = create_run("cancel_demo", trigger=Trigger.MANUAL)
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(admin_user)

    assert strict.get(f"/runs/{run.pk}/cancel").status_code == 405
    assert strict.post(f"/runs/{run.pk}/cancel").status_code == 403
    assert Client().post(f"/runs/{run.pk}/cancel").status_code == 302  # to sign in
    assert JobRun.objects.get(pk=run.pk).status == Status.QUEUED
    assert strict.post("/runs/999999/cancel").status_code == 403


def test_run_job_prints_a_cancelled_run(cancel_jobs, capsys):
    with pytest.raises(CommandError) as failed:
        call_command("run_job", "cancel_demo", "--sync")

    out = capsys.readouterr().out
    assert ": CANCELLED" in out and "first: ok" in out and "second:" not in out
    assert "Cancelled on request before the step “second”" in out
    assert "cancelled: Cancelled on request" in str(failed.value)


def test_cancel_during_the_last_step_lets_the_run_finish_and_says_so(cancel_jobs):
    @job("cancel_late", "Cancel late")
    def cancel_late(ctx):
        with ctx.report.step("only"):
            runner.request_cancel(ctx.run.pk)
            ctx.log("only done")

    run = run_now("cancel_late")

    assert run.status == Status.SUCCEEDED and run.cancel_requested_at
    assert run.lines.filter(message="The cancel came after the last step: the run had "
                                    "already done its work.").exists()


def test_cancel_with_a_next_that_is_no_path_goes_to_the_run(cancel_jobs, admin_client):
    run = create_run("cancel_demo", trigger=Trigger.MANUAL)

    answers = [admin_client.post(f"/runs/{run.pk}/cancel", {"next": odd})
               for odd in ("-1", "²", "https://elsewhere.example/", "/tasks#job-x")]

    assert [a.status_code for a in answers] == [302] * 4  # "-1" was a 500 (a view name?)
    assert [a["Location"] for a in answers] == [f"/rewind/{run.pk}"] * 3 + ["/tasks#job-x"]
