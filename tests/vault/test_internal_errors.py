"""Issue 9 item 14: our own bugs are reported as internal errors, with their traceback in the
log, never as Plex's."""

from __future__ import annotations

import logging

import pytest

from jobs.failures import describe
from vault.clients import factory
from vault.clients.collections import PlexRows
from vault.clients.errors import InternalError, ServiceError

pytestmark = pytest.mark.django_db


def rows(monkeypatch, raises: Exception):
    plex = PlexRows(factory.plex_server(), 1, "movie")

    def broken(*args, **kwargs):
        raise raises

    monkeypatch.setattr(plex.server, "query", broken)
    return plex


def test_a_keyerror_in_a_row_request_is_an_internal_error_logged_with_traceback(
        configured_vault, monkeypatch, caplog):
    plex = rows(monkeypatch, KeyError("ratingKey"))

    with caplog.at_level(logging.ERROR, logger="vault.clients.collections"):
        with pytest.raises(InternalError) as raised:
            plex.hubs()

    assert not isinstance(raised.value, ServiceError)
    text = str(raised.value)
    assert "Internal error" in text and "KeyError" in text and "see the log" in text, text
    assert "Plex answered" not in text
    assert raised.value.step == "read hubs"
    logged = [r for r in caplog.records if r.exc_info]
    assert logged and logged[0].exc_info[0] is KeyError
    assert "read hubs" in logged[0].getMessage()


def test_an_internal_error_reaches_the_run_as_internal_error(configured_vault, monkeypatch):
    plex = rows(monkeypatch, TypeError("unsupported operand"))
    with pytest.raises(InternalError) as raised:
        plex.delete(5)

    failure = describe(raised.value)

    assert failure.code == "internal_error" and not failure.transient
    assert failure.sentence.startswith("Internal error") and "TypeError" in failure.sentence
    assert "Plex" not in failure.sentence


def test_a_plain_exception_from_a_job_is_described_as_internal(db):
    failure = describe(KeyError("title"))

    assert failure.code == "internal_error"
    assert "Internal error" in failure.sentence and "KeyError" in failure.sentence
    assert "see the log" in failure.sentence


def test_plex_failures_stay_plex_errors(configured_vault, monkeypatch):
    import requests

    plex = rows(monkeypatch, requests.ConnectionError("Connection refused"))
    with pytest.raises(ServiceError) as raised:
        plex.hubs()

    assert raised.value.service == "plex" and raised.value.step == "read hubs"
    assert describe(raised.value).code == "plex_unavailable"
