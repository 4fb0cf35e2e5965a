"""POST /webhooks/plex: token, parsing, dedupe, size limit."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.urls import reverse

from jobs.models import JobRun, WebhookReceipt
from jobs.triggers import webhook as hooks

URL = "/webhooks/plex"


def scrobble(**meta) -> str:
    metadata = {"librarySectionID": 1, "librarySectionType": "movie", "ratingKey": "101",
                "type": "movie", "title": "Heat", "year": 1995, "duration": 7_000_000,
                "viewOffset": 6_500_000} | meta
    return json.dumps({"event": "media.scrobble", "user": True, "owner": False,
                       "Account": {"id": 2, "title": "Bea"},
                       "Server": {"title": "Plex", "uuid": "abc"}, "Metadata": metadata})


def post(client, payload, token=None, **extra):
    url = f"{URL}?token={token}" if token else URL
    data = {} if payload is None else {"payload": payload}
    return client.post(url, data, **extra)


@pytest.fixture
def token(people):
    return hooks.token()


def test_webhook_url_is_routed():
    assert reverse("jobs:plex_webhook") == URL


def test_webhook_scrobble_queues_immaculate_taste(client, token):
    response = post(client, scrobble(), token)

    run = JobRun.objects.get()
    assert response.status_code == 202
    assert response.json()["runs"] == [{"id": run.pk, "job": "immaculate_taste",
                                        "status": "queued", "reason": ""}]
    assert (run.trigger, run.viewer_name, run.library_key, run.item_key) == (
        "auto", "Bea", "1", "101")


def test_webhook_token_in_header_accepted(client, token):
    response = post(client, scrobble(), HTTP_X_IMMACULATERR_TOKEN=token)

    assert response.status_code == 202 and JobRun.objects.count() == 1


def test_webhook_without_token_401_and_nothing_queued(client, token):
    response = post(client, scrobble())

    assert response.status_code == 401
    assert not JobRun.objects.exists() and not WebhookReceipt.objects.exists()


def test_webhook_wrong_token_403_and_nothing_queued(client, token):
    response = post(client, scrobble(), "not-the-token")

    assert response.status_code == 403
    assert not JobRun.objects.exists()


@pytest.mark.parametrize("payload", [None, "", "{not json", "[1, 2]", '{"no": "event"}',
                                     '{"event": "media.scrobble", "Account": {"id": 2}}',
                                     '{"event": "media.scrobble", "Metadata": "x"}'])
def test_webhook_malformed_400_and_nothing_stored(client, token, payload):
    response = post(client, payload, token)

    assert response.status_code == 400
    assert response.json()["message"].startswith("Malformed webhook")
    assert not JobRun.objects.exists() and not WebhookReceipt.objects.exists()


def test_webhook_too_large_413(client, token, settings):
    settings.JOBS_WEBHOOK_MAX_BYTES = 1000

    response = post(client, scrobble(title="x" * 2000), token)

    assert response.status_code == 413 and not JobRun.objects.exists()


def test_webhook_other_event_ignored(client, token):
    response = post(client, json.dumps({"event": "media.play", "Account": {"id": 2}}), token)

    assert response.status_code == 202 and response.json()["message"] == "Ignored media.play."
    assert not JobRun.objects.exists()


def test_webhook_identical_payload_within_window_dropped(client, token):
    post(client, scrobble(), token)

    second = post(client, scrobble(), token)

    assert second.status_code == 202 and second.json()["duplicate"] is True
    assert JobRun.objects.count() == 1


def test_webhook_episode_seeds_with_show(client, token):
    post(client, scrobble(type="episode", librarySectionID=2, ratingKey="900",
                          grandparentRatingKey="880", grandparentTitle="The Wire"), token)

    run = JobRun.objects.get()
    # seed = the show, dedupe key = the watched episode (issue 9 item 13)
    assert (run.item_key, run.media_type, run.seed["title"]) == ("900", "tv", "The Wire")
    assert run.seed["rating_key"] == "880"


def test_webhook_scrobble_without_duration_still_queues(client, token):
    payload = json.loads(scrobble())
    del payload["Metadata"]["duration"]

    response = post(client, json.dumps(payload), token)

    run = JobRun.objects.get()
    assert response.status_code == 202
    assert (run.job, run.status, run.reason_code) == ("immaculate_taste", "queued", "")


def test_webhook_short_item_skipped_too_short(client, token):
    post(client, scrobble(duration=30_000), token)

    run = JobRun.objects.get()
    assert (run.status, run.reason_code) == ("skipped", "too_short")


def test_webhook_get_not_allowed(client, token):
    response = client.get(f"{URL}?token={token}")

    assert response.status_code == 405


@pytest.mark.django_db(transaction=True)
def test_webhook_burst_of_identical_payloads_makes_one_run(live_server, people):
    import time
    import urllib.error
    import urllib.request

    secret = hooks.token()
    boundary = "immaculaterrboundary"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"payload\"\r\n\r\n"
            f"{scrobble()}\r\n--{boundary}--\r\n").encode()

    def send(_):
        request = urllib.request.Request(
            f"{live_server.url}{URL}?token={secret}", data=body, method="POST",
            headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})
        try:
            with urllib.request.urlopen(request, timeout=30) as resp:
                return resp.status
        except urllib.error.HTTPError as exc:
            return exc.code

    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(send, range(200)))
    took = time.monotonic() - started

    assert statuses == [202] * 200, sorted(set(statuses))
    assert JobRun.objects.filter(job="immaculate_taste").count() == 1
    assert took < 5


def test_webhook_token_shown_to_signed_in_admin_only(admin_client, token):
    from django.test import Client

    page = admin_client.get("/tasks").content.decode()
    anonymous = Client().get("/tasks")

    assert f"/webhooks/plex?token={token}" in page
    assert anonymous.status_code == 302 and anonymous.url.startswith("/login")
    assert token not in anonymous.content.decode()


def test_webhook_new_token_invalidates_the_old_one(admin_client, token):
    from django.test import Client

    rotated = admin_client.post(reverse("jobs:webhook_token"), {"confirm": "yes"})
    new = hooks.token()
    with_old, with_new = post(Client(), scrobble(), token), post(Client(), scrobble(), new)

    assert rotated.status_code == 302 and new != token
    assert (with_old.status_code, with_new.status_code) == (403, 202)
    assert list(JobRun.objects.values_list("job", flat=True)) == ["immaculate_taste"]
    assert f"token={new}" in admin_client.get("/tasks").content.decode()


def test_webhook_new_token_needs_the_confirmation(admin_client, token):
    page = admin_client.get("/tasks").content.decode()
    unconfirmed = admin_client.post(reverse("jobs:webhook_token"), follow=True)

    assert "stops working at once" in page and 'name="confirm" value="yes"' in page
    assert hooks.token() == token
    assert "The token was kept" in unconfirmed.content.decode()


def test_webhook_new_token_refused_to_anonymous(client, admin_user, token):
    response = client.post(reverse("jobs:webhook_token"))

    assert response.status_code == 302 and response.url.startswith("/login")
    assert hooks.token() == token
