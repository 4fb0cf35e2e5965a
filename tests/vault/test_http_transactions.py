"""The one HTTP choke point: every outgoing request (requests sessions, the OpenAI SDK's own
client) passes vault.clients.http.before_request, which refuses a request sent inside a
database transaction when strict (DEBUG, or VAULT_HTTP_STRICT_TRANSACTIONS)."""

import pytest
import responses
from django.db import transaction

from vault.clients import http


@pytest.mark.django_db(transaction=True)
@responses.activate
def test_request_inside_a_transaction_is_refused_when_strict(settings):
    settings.VAULT_HTTP_STRICT_TRANSACTIONS = True
    responses.get("http://plex.test/identity", body="ok")

    assert http.session("plex").get("http://plex.test/identity").text == "ok"
    with pytest.raises(AssertionError, match="inside a database transaction"), \
            transaction.atomic():
        http.session("plex").get("http://plex.test/identity")
    assert len(responses.calls) == 1


@pytest.mark.django_db(transaction=True)
@responses.activate
def test_request_inside_a_transaction_is_logged_when_not_strict(settings, caplog):
    settings.VAULT_HTTP_STRICT_TRANSACTIONS = False
    responses.get("http://tmdb.test/3/movie/1", json={})

    with transaction.atomic():
        http.session("tmdb").get("http://tmdb.test/3/movie/1")

    assert [r.getMessage() for r in caplog.records if r.name == "vault.clients.http"] == [
        "HTTP GET http://tmdb.test/3/movie/1 (tmdb) sent inside a database transaction"]


@pytest.mark.django_db
def test_a_test_cases_own_transaction_does_not_count():
    assert not http.open_transaction()
    with transaction.atomic():
        assert http.open_transaction()


def test_openai_client_requests_pass_the_choke_point(monkeypatch):
    from tests.fakes.openai_server import OpenAiDouble
    from vault.clients.openai_api import make

    seen = []
    monkeypatch.setattr(http, "before_request", lambda *call: seen.append(call))
    double = OpenAiDouble(delay=0).start()
    try:
        make(double.api_key, double.base).models.list()
    finally:
        double.stop()

    assert [(service, method) for service, method, _ in seen] == [("openai", "GET")]
    assert seen[0][2].endswith("/v1/models")
