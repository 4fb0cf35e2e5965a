"""The first-run wizard through Django's test client: setup leads into it, /setup afterwards
leads to sign-in (or back into the unfinished wizard), it resumes where it was left, steps
can be skipped, and each step saves through the Vault's and Command Center's own forms."""

from __future__ import annotations

import pytest

from immaculaterr.models import Onboarding
from jobs.models import JobRun, JobSetting
from vault import integrations
from vault.models import Integration, PlexLibrary, PlexViewer

pytestmark = pytest.mark.django_db
PW = "long-enough-pw"


@pytest.fixture
def plex_double():
    from tests.fakes.catalog import Catalog
    from tests.fakes.plex.server import PlexServerDouble

    plex = PlexServerDouble(Catalog(n_movies=30, n_shows=6)).start()
    yield plex
    plex.stop()


@pytest.fixture
def people(db):
    from tests.jobs.factories import libraries, viewers

    return viewers(), libraries()


@pytest.fixture
def fresh(client):
    response = client.post("/setup", {"username": "ava", "password": PW, "password_again": PW})
    assert response["Location"] == "/onboarding"
    return client


def test_setup_leads_into_the_wizard_and_setup_afterwards_leads_to_sign_in_or_the_wizard(
        fresh, client):
    assert fresh.get("/onboarding")["Location"] == "/onboarding/plex"
    assert fresh.get("/setup")["Location"] == "/onboarding"
    client.logout()
    assert client.get("/setup")["Location"] == "/login"
    assert client.get("/onboarding/plex")["Location"].startswith("/login?next=")


def test_the_wizard_resumes_at_the_step_left_and_skips_are_remembered(fresh):
    page = fresh.get("/onboarding/plex")
    assert page.status_code == 200 and b"Step 1 of 8" in page.content
    assert fresh.post("/onboarding/plex", {"action": "skip"})["Location"] == \
        "/onboarding/libraries"
    fresh.get("/onboarding/tmdb")
    fresh.get("/dashboard-is-elsewhere")
    assert fresh.get("/onboarding")["Location"] == "/onboarding/tmdb"
    assert Onboarding.load().skipped == ["plex"]
    assert b"skipped earlier" in fresh.get("/onboarding/plex").content


def test_plex_continue_without_a_connection_says_so_and_saves_nothing(fresh):
    response = fresh.post("/onboarding/plex", {"action": "continue", "url": "", "token": ""})
    assert response.status_code == 400
    assert b"Plex is not connected yet" in response.content
    assert not Integration.objects.filter(service="plex", enabled=True).exists()
    response = fresh.post("/onboarding/plex", {"action": "continue", "url": "not a url",
                                               "token": "x"})
    assert response.status_code == 400 and not integrations.is_enabled("plex")


def test_plex_by_url_and_token_reads_libraries_and_viewers(fresh, plex_double, settings):
    from tests.fakes.plex.plextv import PlexTvDouble

    plextv = PlexTvDouble(plex_double).start()
    settings.PLEX_TV_URL = plextv.url
    try:
        response = fresh.post("/onboarding/plex", {"action": "continue", "url": plex_double.url,
                                                   "token": plex_double.token})
    finally:
        plextv.stop()
    assert response["Location"] == "/onboarding/libraries", response.content[:2000]
    assert integrations.is_enabled("plex")
    assert sorted(PlexLibrary.objects.values_list("title", "selected")) == [
        ("Kids Movies", True), ("Movies", True), ("TV Shows", True)]
    assert PlexViewer.objects.count() == 4
    page = fresh.get("/onboarding/libraries").content.decode()
    assert page.count('name="selected"') == 3 and page.count(" checked") == 3
    assert plex_double.token not in fresh.get("/onboarding/plex").content.decode()


def test_libraries_keep_one_and_viewers_save_through_the_command_center_forms(fresh, people):
    viewers, libraries = people
    response = fresh.post("/onboarding/libraries", {"action": "continue"})
    assert response.status_code == 400 and b"Keep at least one library" in response.content
    assert fresh.post("/onboarding/libraries", {"action": "continue", "selected": [
        libraries["2"].pk]})["Location"] == "/onboarding/viewers"
    assert list(PlexLibrary.objects.filter(selected=True).values_list("key", flat=True)) == ["2"]
    assert fresh.post("/onboarding/viewers", {"action": "continue", "monitored": [
        viewers["bea"].pk, "99999999999999999999"]}).status_code == 400
    fresh.post("/onboarding/viewers", {"action": "continue", "monitored": [viewers["bea"].pk]})
    assert list(PlexViewer.objects.filter(monitored=True).values_list("name", flat=True)) == \
        ["Bea"]


def test_tmdb_and_a_service_save_through_the_vault_and_an_empty_form_is_no_save(fresh):
    response = fresh.post("/onboarding/tmdb", {"action": "continue", "api_key": ""})
    assert response.status_code == 400 and b"Enter TMDB" in response.content
    assert fresh.post("/onboarding/tmdb", {"action": "continue", "api_key": "k" * 32})[
        "Location"] == "/onboarding/services"
    assert integrations.is_enabled("tmdb")
    page = fresh.post("/onboarding/services", {"action": "save", "service": "overseerr"})
    assert page.status_code == 400 and b"Saved." not in page.content
    key = "ovr-key-9f2e7c41"  # long enough that no random token on the page holds it
    page = fresh.post("/onboarding/services", {"action": "save", "service": "overseerr",
                                               "url": "http://overseerr:5055", "api_key": key})
    assert page.status_code == 200 and b"Saved." in page.content
    assert integrations.is_enabled("overseerr")
    assert key.encode() not in page.content


def test_auto_run_choices_save_and_import_starts_history_import_once(fresh):
    fresh.post("/onboarding/autorun", {"action": "continue", "auto_run": ["immaculate_taste"]})
    assert JobSetting.of("immaculate_taste").auto_run is True
    assert JobSetting.of("latest_watched").auto_run is False
    for _ in range(2):
        assert fresh.post("/onboarding/import", {"action": "continue"})["Location"] == \
            "/onboarding/done"
    run = JobRun.objects.get(job="history_import")
    assert (run.status, run.trigger) == ("queued", "manual")
    assert Onboarding.load().history_run_id == run.pk
    assert b"Import Plex History" in fresh.get("/onboarding/done").content
    polled = fresh.get("/onboarding/import-status", HTTP_HX_REQUEST="true")
    assert polled.status_code == 200 and b'hx-trigger="every 2s"' in polled.content
    JobRun.objects.filter(pk=run.pk).update(status="succeeded", report={"summary": "Imported."})
    polled = fresh.get("/onboarding/import-status", HTTP_HX_REQUEST="true")
    assert polled.status_code == 286 and b"Imported." in polled.content  # htmx stops polling
    assert b"hx-get" not in polled.content
    assert fresh.post("/onboarding/done", {"action": "continue"})["Location"] == "/"
    assert fresh.get("/onboarding")["Location"] == "/"


def test_an_unknown_step_is_a_404_and_so_is_the_status_of_an_import_never_started(fresh):
    assert fresh.get("/onboarding/nope").status_code == 404
    assert fresh.get("/onboarding/import-status").status_code == 404
