"""Every client against its double's 401, 404, 429, 500, timeout and malformed answers: a
typed error with a sentence that names the service (and never the secret)."""

import pytest

from vault import probes
from vault.clients import errors, factory
from vault.clients.openai_api import model_ids

pytestmark = pytest.mark.django_db


def call_plex(doubles):
    factory.plex_server()


def call_tmdb(doubles):
    factory.tmdb().details("movie", doubles.catalog.movies[0].tmdb_id)


def call_openai(doubles):
    client, _model = factory.openai_client()
    model_ids(client)


def call_google(doubles):
    factory.google().search("heat")


def call_radarr(doubles):
    factory.radarr().status()


def call_sonarr(doubles):
    factory.sonarr().root_folders()


def call_overseerr(doubles):
    factory.overseerr().me()


CALLS = {"plex": call_plex, "tmdb": call_tmdb, "openai": call_openai, "google": call_google,
         "radarr": call_radarr, "sonarr": call_sonarr, "overseerr": call_overseerr}
NAMES = {"plex": "Plex", "tmdb": "TMDB", "openai": "OpenAI",
         "google": "Google Programmable Search", "radarr": "Radarr", "sonarr": "Sonarr",
         "overseerr": "Overseerr"}
FAULTS = {
    "401": ({"status": 401}, errors.AuthError, "refused the"),
    "404": ({"status": 404}, errors.NotFoundError, "answered 404 (not found)"),
    "429": ({"status": 429, "headers": {"Retry-After": "7"}}, errors.UnavailableError,
            "is rate limiting requests (429)"),
    "500": ({"status": 500}, errors.UnavailableError, "had a server error (500)"),
    "timeout": ({"delay": 1.0}, errors.UnavailableError, "did not answer within"),
    "malformed": ({"status": 200, "body": b"<<<not json or xml"}, errors.BadResponseError,
                  "sent an answer that could not be read"),
}


@pytest.fixture
def faulty(configured_vault, service_settings):
    service_settings.VAULT_HTTP_TIMEOUT = 0.3
    return configured_vault


@pytest.mark.parametrize("fault", list(FAULTS))
@pytest.mark.parametrize("service", list(CALLS))
def test_client_fault_raises_typed_error_with_sentence(faulty, service, fault,
                                                      service_settings):
    kwargs, kind, phrase = FAULTS[fault]
    if fault != "timeout":  # only the timeout case needs the short deadline; a loaded CI
        service_settings.VAULT_HTTP_TIMEOUT = 10  # machine took > 0.3 s for a malformed answer
    double = getattr(faulty, service)
    double.fault(count=None, **kwargs)

    with pytest.raises(errors.ServiceError) as caught:
        CALLS[service](faulty)

    err = caught.value
    assert type(err) is kind
    assert (err.service, err.transient) == (service, kind is errors.UnavailableError)
    assert NAMES[service] in str(err) and phrase in str(err)
    for secret in ("plex-token", faulty.credentials()[service].get("key") or "plex-token"):
        assert secret not in str(err)


def test_client_429_then_success_is_retried_honouring_retry_after(configured_vault):
    configured_vault.radarr.fault(status=429, headers={"Retry-After": "0"}, count=1)

    status = factory.radarr().status()

    assert status["appName"] == "Radarr"
    assert configured_vault.radarr.count("GET", "system/status") == 2


def test_client_refused_connection_is_unavailable(configured_vault):
    from vault import integrations

    integrations.save("overseerr", True, {"url": "http://127.0.0.1:9"})

    with pytest.raises(errors.UnavailableError) as caught:
        factory.overseerr().status()

    assert str(caught.value) == ("Could not reach Overseerr at http://127.0.0.1:9: "
                                 "the connection was refused.")


def test_client_disabled_service_raises_not_configured(configured_vault):
    from vault import integrations

    integrations.set_enabled("google", False)

    with pytest.raises(errors.NotConfigured, match="Google Programmable Search is not set up"):
        factory.google()


@pytest.mark.parametrize("service", list(CALLS))
def test_probe_fault_401_reports_the_auth_sentence(faulty, service):
    getattr(faulty, service).fault(status=401, count=None)

    result = probes.run(service)

    assert (result.ok, result.message.startswith(f"{NAMES[service]} refused the")) == (
        False, True)
