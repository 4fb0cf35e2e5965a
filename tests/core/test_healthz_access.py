"""/healthz: anonymous callers get the status only; the admin or the install token gets details."""

import pytest

from immaculaterr.health import record_heartbeat
from jobs.triggers import webhook

pytestmark = pytest.mark.django_db


@pytest.fixture
def healthy():
    record_heartbeat("worker", "nas-box pid 4242")
    record_heartbeat("beat")


def test_healthz_anonymous_gets_status_only(client, healthy):
    response = client.get("/healthz")

    assert (response.status_code, response.json()) == (200, {"ok": True})
    assert b"nas-box" not in response.content and b"4242" not in response.content


def test_healthz_anonymous_unhealthy_is_503_without_details(client):
    response = client.get("/healthz")

    assert (response.status_code, response.json()) == (503, {"ok": False})


def test_healthz_admin_sees_details(admin_client, healthy):
    body = admin_client.get("/healthz").json()

    assert body["worker"]["seen_by"] == "nas-box pid 4242"
    assert body["database"]["ok"] is True


def test_healthz_token_in_header_or_query_shows_details(client, healthy):
    token = webhook.token()

    by_header = client.get("/healthz", headers={"X-Health-Token": token}).json()
    by_query = client.get(f"/healthz?token={token}").json()

    assert by_header["worker"]["seen_by"] == by_query["worker"]["seen_by"] == "nas-box pid 4242"


def test_healthz_wrong_token_gets_status_only(client, healthy):
    webhook.token()

    body = client.get("/healthz", headers={"X-Health-Token": "not-the-token"}).json()

    assert body == {"ok": True}


def test_healthz_token_before_any_exists_gets_status_only(client, healthy):
    assert client.get("/healthz?token=guess").json() == {"ok": True}
