"""Plex reports an already-processed watch again and again: one Rewind row counts the repeats.
And odd ids in a webhook (issue 11 item 7) are a 400 with a sentence, never a 500."""

from __future__ import annotations

import json

import pytest

from jobs.models import JobRun, ProcessedItem
from jobs.triggers import webhook as hooks
from tests.jobs.test_webhook import URL, post, scrobble

pytestmark = pytest.mark.django_db


@pytest.fixture
def token(people):
    return hooks.token()


@pytest.fixture
def processed(people):
    return ProcessedItem.objects.create(job="immaculate_taste", viewer_account_id=2,
                                        library_key="1", item_key="101")


def test_webhook_five_reports_of_a_processed_watch_make_one_run_counting_four(
        client, token, processed):
    # distinct payloads (the offset moves), so the 30-second dedupe does not drop them
    answers = [post(client, scrobble(viewOffset=6_500_000 + i), token) for i in range(5)]

    run = JobRun.objects.get()
    assert [a.json()["runs"] for a in answers] == [[{
        "id": run.pk, "job": "immaculate_taste", "status": "skipped",
        "reason": "already_processed"}]] * 5
    assert (run.status, run.reason_code, run.repeats) == ("skipped", "already_processed", 4)
    processed.refresh_from_db()
    assert processed.skip_run_id == run.pk


def test_rewind_says_how_often_plex_repeated_the_watch(admin_client, token, processed):
    for i in range(5):
        post(admin_client, scrobble(viewOffset=i), token)
    run = JobRun.objects.get()

    listing = admin_client.get("/rewind").content.decode()
    detail = admin_client.get(f"/rewind/{run.pk}").content.decode()

    sentence = "Plex reported this 4 more times; ignored."
    assert (listing.count(sentence), detail.count(sentence)) == (1, 1)


def test_rewind_first_report_shows_no_repeat_sentence(admin_client, token, processed):
    post(admin_client, scrobble(), token)

    assert "more time" not in admin_client.get("/rewind").content.decode()


def test_webhook_repeat_after_the_skip_run_was_pruned_makes_a_new_row(client, token, processed):
    post(client, scrobble(viewOffset=1), token)
    JobRun.objects.all().delete()  # history pruned

    post(client, scrobble(viewOffset=2), token)
    post(client, scrobble(viewOffset=3), token)

    assert list(JobRun.objects.values_list("repeats", flat=True)) == [1]


@pytest.mark.parametrize("meta", [{"ratingKey": "²"}, {"librarySectionID": "١٢"},
                                  {"ratingKey": "99999999999999999999999"},
                                  {"librarySectionID": 99999999999999999999999},
                                  {"year": "²"}])
def test_webhook_odd_ids_in_metadata_400_with_a_sentence(client, token, meta):
    response = post(client, scrobble(**meta), token)

    if "year" in meta:  # an odd year is only dropped: the watch still counts
        assert (response.status_code, JobRun.objects.get().seed["year"]) == (202, None)
        return
    assert response.status_code == 400
    assert response.json()["message"].startswith("Malformed webhook: ")
    assert "must be a whole number" in response.json()["message"]
    assert JobRun.objects.count() == 0


@pytest.mark.parametrize("account", ["²", "99999999999999999999999", "1e3"])
def test_webhook_odd_account_id_400_and_nothing_stored(client, token, account):
    payload = json.loads(scrobble()) | {"Account": {"id": account}}

    response = post(client, json.dumps(payload), token)

    assert (response.status_code, JobRun.objects.count()) == (400, 0)


def test_webhook_odd_content_length_400(client, token):
    response = client.post(f"{URL}?token={token}", {"payload": scrobble()},
                           headers={"Content-Length": "²"})

    assert response.status_code == 400
    assert response.json()["message"] == "Malformed webhook: Content-Length is not a number."
