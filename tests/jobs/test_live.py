"""The live fragments the open Task Manager and Dashboard poll: 204 while nothing changed,
the changed cards (out of band) and a poller with the new fingerprint once a run moves; the
pages are never cached, so Back shows the runs as they are now."""

from __future__ import annotations

import re

import pytest

from jobs.dispatch import create_run
from jobs.models import JobRun, Status, Trigger

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def fingerprint(html: str, url: str) -> str:
    found = re.search(re.escape(url) + r'[^"]*v=([0-9a-f]+)"', html)
    assert found, html[:500]
    return found.group(1)


def test_task_manager_live_204_until_a_run_moves_then_that_card_oob(admin_client, people):
    page = admin_client.get("/tasks")
    assert page["Cache-Control"] == "no-store"
    sig = fingerprint(page.content.decode(), "/tasks/live")

    assert admin_client.get(f"/tasks/live?v={sig}", **HTMX).status_code == 204
    run = create_run("immaculate_taste", trigger=Trigger.AUTO)
    queued = admin_client.get(f"/tasks/live?v={sig}", **HTMX)

    html = queued.content.decode()
    assert queued.status_code == 200 and queued["Cache-Control"] == "no-store"
    assert '<div class="job-live" id="live-immaculate_taste" hx-swap-oob="true">' in html
    assert 'data-status="queued"' in html and "Auto (Plex)" in html
    assert html.count('class="job-live"') == 1  # only jobs that have a run
    sig2 = fingerprint(html, "/tasks/live")
    assert sig2 != sig and admin_client.get(f"/tasks/live?v={sig2}", **HTMX).status_code == 204

    JobRun.objects.filter(pk=run.pk).update(status=Status.SUCCEEDED, reason="")
    done = admin_client.get(f"/tasks/live?v={sig2}", **HTMX).content.decode()
    last = re.search(r'<p class="row last-run">(.*?)</p>', done, re.S).group(1)
    assert "Succeeded" in last and "Queued" not in last
    assert 'data-status="succeeded"' in done and "Open the report" in done


def test_dashboard_live_204_until_a_run_moves_then_runs_and_datasets(admin_client, people):
    page = admin_client.get("/")
    assert page["Cache-Control"] == "no-store"
    sig = fingerprint(page.content.decode(), "/?part=live")

    assert admin_client.get(f"/?part=live&v={sig}", **HTMX).status_code == 204
    run = create_run("immaculate_taste_refresher", trigger=Trigger.SCHEDULE)
    html = admin_client.get(f"/?part=live&v={sig}", **HTMX).content.decode()

    assert 'id="dash-runs" hx-swap-oob="true"' in html
    assert 'id="dash-datasets" hx-swap-oob="true"' in html
    assert f'href="/rewind/{run.pk}"' in html and "Immaculate Taste Refresher" in html
    assert "<h1>" not in html  # a fragment, not the page

    JobRun.objects.filter(pk=run.pk).update(
        status=Status.SKIPPED, reason_code="nothing_eligible",
        reason="No monitored viewer with a selected library.")
    later = admin_client.get(f"/?part=live&v={fingerprint(html, '/?part=live')}",
                             **HTMX).content.decode()
    assert "No monitored viewer with a selected library." in later and "Skipped" in later
    assert '<small class="code">nothing_eligible</small>' not in later  # the sentence wins


def test_run_page_polls_while_active_and_shows_reason_without_self_link_when_done(
        admin_client, people):
    run = create_run("immaculate_taste_refresher", trigger=Trigger.SCHEDULE)
    active = admin_client.get(f"/rewind/{run.pk}").content.decode()
    assert f'hx-get="/runs/{run.pk}/progress?on=run"' in active
    assert f'action="/runs/{run.pk}/cancel"' in active

    JobRun.objects.filter(pk=run.pk).update(status=Status.FAILED, reason_code="plex_error",
                                            reason="Plex answered 500.")
    finished = admin_client.get(f"/runs/{run.pk}/progress?on=run", **HTMX)
    assert finished.status_code == 286 and finished["HX-Refresh"] == "true"
    page = admin_client.get(f"/rewind/{run.pk}").content.decode()
    assert "Plex answered 500." in page and "/progress" not in page
    assert "Open the report" not in page and "/cancel" not in page
