from datetime import timedelta

import pytest
from django.utils import timezone

from immaculaterr.health import record_heartbeat
from immaculaterr.models import Heartbeat

pytestmark = pytest.mark.django_db


def test_healthz_without_worker_is_503_and_says_why(client):
    response = client.get("/healthz")
    body = response.json()
    assert response.status_code == 503
    assert body["database"]["ok"] is True
    assert body["worker"] == {"ok": False, "last_heartbeat_age_s": None, "seen_by": None}


def test_healthz_with_fresh_heartbeats_is_200(client):
    record_heartbeat("worker", "w1 pid 1")
    record_heartbeat("beat")
    body = client.get("/healthz").json()
    assert body["ok"] is True
    assert body["worker"]["seen_by"] == "w1 pid 1"
    assert body["broker"]["ok"] is True


def test_healthz_stale_heartbeat_is_503(client):
    record_heartbeat("worker")
    record_heartbeat("beat")
    Heartbeat.objects.update(seen_at=timezone.now() - timedelta(minutes=5))
    response = client.get("/healthz")
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
