"""Odd ids in Rewind, Logs and Run now (issue 11 item 7): "²" passes str.isdigit() but not
int(), and a 23-digit number overflows the database; each gets an answer, never a 500."""

from __future__ import annotations

import pytest
from django.test import Client

from jobs.context import Scope
from jobs.dispatch import dispatch, record_skip
from jobs.models import JobRun, LogLine

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}
HUGE = "99999999999999999999999"
ODD = ["²", "١٢", HUGE, "-", "1.5"]


@pytest.fixture
def owner(admin_user):
    client = Client(raise_request_exception=False)
    client.force_login(admin_user)
    return client


@pytest.mark.parametrize("viewer", ODD)
def test_rewind_odd_viewer_matches_no_run(owner, people, viewer):
    record_skip("immaculate_taste", "too_short", scope=Scope(2, "Bea", "1", "Movies", "movie"))

    response = owner.get("/rewind", {"viewer": viewer}, headers=HTMX)

    html = response.content.decode()
    assert (response.status_code, html.count('class="run-row"')) == (200, 0)
    assert "No runs match." in html


def test_rewind_negative_viewer_still_filters(owner, people):
    record_skip("immaculate_taste", "too_short", scope=Scope(-1, "Guest", "1", "Movies", "movie"))
    record_skip("immaculate_taste", "too_short", scope=Scope(2, "Bea", "1", "Movies", "movie"))

    html = owner.get("/rewind", {"viewer": "-1"}, headers=HTMX).content.decode()

    assert html.count('class="run-row"') == 1 and "Guest" in html


@pytest.mark.parametrize("run", ODD)
def test_logs_odd_run_shows_no_lines(owner, run):
    LogLine.objects.create(job="immaculate_taste", message="a line of some run")

    response = owner.get("/logs", {"run": run})

    assert response.status_code == 200
    assert "a line of some run" not in response.content.decode()


@pytest.mark.parametrize("after", ODD)
def test_logs_follow_odd_after_answers_the_page_fragment(owner, after):
    LogLine.objects.create(job="immaculate_taste", message="a line")

    response = owner.get("/logs", {"after": after}, headers=HTMX)

    assert response.status_code == 200
    assert "a line" in response.content.decode()
    assert 'hx-swap-oob="afterbegin:#log-lines"' not in response.content.decode()


@pytest.mark.parametrize("key", ODD)
def test_run_now_odd_rating_key_is_a_form_error_and_queues_nothing(owner, people, key):
    response = owner.post("/tasks/immaculate_taste/run", {"seed_rating_key": key}, headers=HTMX)

    assert response.status_code == 200
    assert "The Plex rating key is a number from Plex." in response.content.decode()
    assert JobRun.objects.count() == 0


def test_run_now_plain_rating_key_queues_the_run(owner, people):
    owner.post("/tasks/immaculate_taste/run", {"seed_rating_key": "101"}, headers=HTMX)

    assert JobRun.objects.get().seed["rating_key"] == "101"


def test_run_page_huge_pk_is_404(owner):
    dispatch("immaculate_taste", enqueue_now=False)

    assert owner.get(f"/rewind/{HUGE}").status_code == 404
