"""Issue 9 item 15: Plex down logs the change of state (down, back up with how long and how
many polls failed), not one line every poll; the state survives separate poll task calls."""

from __future__ import annotations

import importlib
import logging
from datetime import timedelta

import pytest
from django.utils import timezone

from jobs.models import LogLine
from jobs.triggers import poller
from tests.jobs.factories import connect_plex

pytestmark = pytest.mark.django_db


@pytest.fixture
def polled(people, plex_double):
    from django.core.cache import cache

    cache.delete(poller.DOWN_KEY)
    connect_plex(plex_double)
    yield plex_double
    cache.delete(poller.DOWN_KEY)


def poll_in_a_fresh_process():
    """Each poll is a separate Celery task call, maybe in another process: no module state."""
    return importlib.reload(poller).poll()


def lines(words: str) -> list[str]:
    return [m for m in LogLine.objects.values_list("message", flat=True) if words in m]


def test_plex_down_logs_once_then_back_up_says_how_long_and_how_many(polled, caplog,
                                                                       monkeypatch):
    polled.down = True
    with caplog.at_level(logging.INFO, logger="jobs"):
        for _ in range(5):
            assert poll_in_a_fresh_process() == []

        assert len(lines("Plex session poll failed")) == 1
        assert LogLine.objects.count() == 1
        warnings = [r for r in caplog.records
                    if r.name == "jobs" and r.levelno == logging.WARNING]
        assert len(warnings) == 1

        later = timezone.now() + timedelta(minutes=12, seconds=5)
        monkeypatch.setattr(timezone, "now", lambda: later)
        polled.down = False
        poll_in_a_fresh_process()
        poll_in_a_fresh_process()

    back = lines("Plex answers again")
    assert len(back) == 1, list(LogLine.objects.values_list("message", flat=True))
    assert "5 polls failed" in back[0] and "12 min" in back[0], back[0]
    assert LogLine.objects.count() == 2


def test_plex_down_again_after_recovery_logs_a_new_down_line(polled):
    polled.down = True
    poll_in_a_fresh_process()
    polled.down = False
    poll_in_a_fresh_process()
    polled.down = True
    poll_in_a_fresh_process()
    poll_in_a_fresh_process()

    assert len(lines("Plex session poll failed")) == 2
    assert len(lines("Plex answers again")) == 1


def test_plex_down_polls_log_no_urllib3_retry_warning_each(polled, settings, caplog):
    """urllib3 warns on every retry it makes ("Retrying (Retry(total=2…)) after connection
    broken…"): with Plex down that alone was several lines a poll. The final typed error says
    it all; the retries are logged only at DEBUG."""
    settings.VAULT_HTTP_RETRIES, settings.VAULT_HTTP_BACKOFF = 2, 0.01
    polled.down = True

    with caplog.at_level(logging.INFO):
        for _ in range(3):
            poll_in_a_fresh_process()

    noisy = [r for r in caplog.records if r.levelno >= logging.INFO and r.name != "jobs"]
    assert noisy == [], [r.getMessage() for r in noisy]
    assert len([r for r in caplog.records if r.name == "jobs"]) == 1
