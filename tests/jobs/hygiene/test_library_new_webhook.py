"""`library.new` through the webhook endpoint: one cleanup run scoped to the new item (an
episode's show), skips with reasons, malformed payloads refused."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from jobs.models import JobRun
from jobs.triggers import webhook as hooks
from tests.fakes.plex.library import KIDS, SHOWS
from tests.jobs.hygiene.support import JOB, library_new
from vault.models import PlexLibrary

pytestmark = [pytest.mark.django_db]


@pytest.fixture
def url(people):
    PlexLibrary.objects.filter(key=str(KIDS)).update(selected=True)
    return f"{reverse('jobs:plex_webhook')}?token={hooks.token()}"


def post(client, url, payload: str):
    return client.post(url, {"payload": payload})


def test_a_new_movie_queues_one_run_scoped_to_it(client, url):
    answer = post(client, url, library_new(4242, KIDS, "Heat"))
    assert answer.status_code == 202
    [run] = JobRun.objects.filter(job=JOB)
    assert (run.status, run.trigger, run.item_key, run.library_key) == ("queued", "auto",
                                                                         "4242", str(KIDS))
    assert run.seed == {"rating_keys": [4242], "title": "Heat", "source": "webhook"}


def test_a_new_episode_is_scoped_to_its_show(client, url):
    payload = json.loads(library_new(5005, SHOWS, "Pilot", kind="episode"))
    payload["Metadata"] |= {"grandparentRatingKey": "5000", "grandparentTitle": "The Show",
                            "parentIndex": 1, "index": 1}
    assert post(client, url, json.dumps(payload)).status_code == 202
    run = JobRun.objects.get(job=JOB)
    assert (run.seed["rating_keys"], run.seed["title"], run.media_type) == ([5000],
                                                                            "The Show", "tv")


def test_an_excluded_library_is_a_skipped_run_with_its_reason(client, url):
    PlexLibrary.objects.filter(key=str(KIDS)).update(selected=False)
    post(client, url, library_new(4243, KIDS, "Heat"))
    run = JobRun.objects.get(job=JOB)
    assert (run.status, run.reason_code) == ("skipped", "library_excluded")
    assert run.reason == "The seed's library is excluded in Plex Library Selection."


def test_malformed_library_new_is_refused(client, url):
    payload = json.loads(library_new(1, KIDS, "Heat"))
    del payload["Metadata"]["ratingKey"]
    answer = post(client, url, json.dumps(payload))
    assert answer.status_code == 400 and "library.new needs" in answer.json()["message"]
    assert not JobRun.objects.exists()
