"""Words on the run pages: job names and reason sentences first, keys and codes as small print;
a row that was never created (no titles yet) is not reported as "keep"; a cancelled step is
shown as cancelled, not failed."""

from __future__ import annotations

import re

import pytest

from jobs.context import Scope
from jobs.dispatch import create_run
from jobs.models import JobRun, LogLine, Status, Trigger
from tests.jobs.test_plex_down_mid_run import run_sync, seeded_once

pytestmark = pytest.mark.django_db


def plan_rows(html: str) -> dict[str, str]:
    """Row title -> the Action cell's text, from the run page's Plex changes table."""
    plan = html[html.index('<section class="card plan">'):]
    plan = plan[:plan.index("</section>")]
    return {m.group(1): re.sub(r"<[^>]+>", " ", m.group(2)).strip()
            for m in re.finditer(r"<tr[^>]*><td[^>]*>([^<]+)</td><td[^>]*>(.*?)</td>", plan)}


def test_refresher_for_a_viewer_without_titles_says_not_created_not_keep(admin_client, stack):
    bea = Scope.of(stack["viewers"]["bea"], stack["libraries"]["1"], "movie")
    run = run_sync("immaculate_taste_refresher", bea)
    assert run.status == "succeeded", run.reason

    rows = plan_rows(admin_client.get(f"/rewind/{run.pk}").content.decode())

    assert rows["Inspired by your Immaculate Taste (Bea)"] == "not created: no titles yet"
    assert "keep" not in rows.values()


def test_a_row_that_exists_and_stays_says_unchanged_one_created_says_create(admin_client,
                                                                            stack):
    scope = seeded_once(stack)  # Bea's row was created by the chained refresher
    first = JobRun.objects.get(job="immaculate_taste_refresher")
    assert plan_rows(admin_client.get(f"/rewind/{first.pk}").content.decode())[
        "Inspired by your Immaculate Taste (Bea)"] == "create"

    again = run_sync("immaculate_taste_refresher", scope)

    rows = plan_rows(admin_client.get(f"/rewind/{again.pk}").content.decode())
    assert rows["Inspired by your Immaculate Taste (Bea)"] == "unchanged"


def test_rewind_logs_dashboard_name_jobs_and_say_reasons(admin_client, people):
    run = create_run("latest_watched_refresher", trigger=Trigger.SCHEDULE)
    JobRun.objects.filter(pk=run.pk).update(
        status=Status.CANCELLED, reason_code="cancelled",
        reason="Cancelled on request before the step “rows”; the steps before it were "
               "completed and kept.",
        report={"steps": [{"name": "plex index", "status": "ok", "counts": {},
                           "duration_ms": 5},
                          {"name": "rows", "status": "cancelled", "counts": {},
                           "duration_ms": 1}]})
    LogLine.objects.create(run=run, job=run.job, message="Scope: Bea · Movies.")

    rewind = admin_client.get("/rewind").content.decode()
    row = rewind[rewind.index(f'href="/rewind/{run.pk}"'):]
    row = row[:row.index("</tr>")]
    assert "Based on Latest Watched Refresher" in row
    assert '<small class="code">latest_watched_refresher</small>' in row
    assert "Cancelled on request before the step “rows”" in row and "Cancelled</span>" in row
    logs = admin_client.get("/logs").content.decode()
    assert "Based on Latest Watched Refresher" in logs
    page = admin_client.get(f"/rewind/{run.pk}").content.decode()
    assert '<span class="badge cancelled">cancelled</span>' in page
    assert "Cancelled on request before the step “rows”" in page
