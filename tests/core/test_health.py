from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from immaculaterr.health import RESTARTS_KEY, record_heartbeat, record_restart
from immaculaterr.models import Heartbeat

pytestmark = pytest.mark.django_db


def test_healthz_without_worker_is_503_and_says_why(admin_client):
    response = admin_client.get("/healthz")
    body = response.json()
    assert response.status_code == 503
    assert body["database"]["ok"] is True
    assert body["worker"] == {"ok": False, "last_heartbeat_age_s": None, "seen_by": None,
                              "restarts_last_hour": 0, "last_restart_at": None, "restarts": ""}


def test_healthz_with_fresh_heartbeats_is_200(admin_client):
    record_heartbeat("worker", "w1 pid 1")
    record_heartbeat("beat")
    body = admin_client.get("/healthz").json()
    assert body["ok"] is True
    assert body["worker"]["seen_by"] == "w1 pid 1"
    assert body["broker"]["ok"] is True


def test_healthz_stale_heartbeat_is_503(admin_client):
    record_heartbeat("worker")
    record_heartbeat("beat")
    Heartbeat.objects.update(seen_at=timezone.now() - timedelta(minutes=5))
    response = admin_client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["worker"]["ok"] is False


def test_cache_table_exists_after_migrate():
    from django.core.cache import cache

    cache.set("probe", "ok", 5)
    assert cache.get("probe") == "ok"


def test_health_command_exit_status_follows_the_component(capsys):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    call_command("health", "database")
    assert '"ok": true' in capsys.readouterr().out
    with pytest.raises(CommandError, match="beat is not healthy"):
        call_command("health", "beat")
    record_heartbeat("beat")
    call_command("health", "beat")


def test_healthz_counts_restarts_of_the_last_hour_in_a_sentence(admin_client):
    cache.delete(RESTARTS_KEY)
    for _ in range(3):
        record_restart("worker", 1)
    record_restart("triggers", -9)
    record_restart("beat", 1)

    body = admin_client.get("/healthz").json()

    assert body["worker"]["restarts_last_hour"] == 4
    assert body["worker"]["restarts"] == ("The worker restarted 3 times and the triggers worker "
                                          "restarted once in the last hour.")
    assert body["worker"]["last_restart_at"] is not None
    assert body["beat"]["restarts_last_hour"] == 1
    assert body["beat"]["restarts"] == "The scheduler (beat) restarted once in the last hour."


def test_healthz_forgets_restarts_older_than_an_hour(admin_client):
    old = (timezone.now() - timedelta(minutes=61)).isoformat()
    cache.set(RESTARTS_KEY, [{"name": "worker", "code": 1, "at": old}], 3600)
    record_restart("worker", 1)

    worker = admin_client.get("/healthz").json()["worker"]

    assert (worker["restarts_last_hour"], worker["restarts"]) == (
        1, "The worker restarted once in the last hour.")
    assert len(cache.get(RESTARTS_KEY)) == 1


def test_dashboard_says_when_serve_restarted_the_worker(admin_client):
    cache.delete(RESTARTS_KEY)
    record_restart("worker", 1)
    record_restart("worker", 1)

    page = admin_client.get("/").content.decode()

    assert "The worker restarted twice in the last hour." in page
