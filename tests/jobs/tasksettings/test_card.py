"""Task Manager → the Missing titles settings on the Immaculate Taste and Latest Watched cards:
htmx and plain posts, Overseerr turning the direct-only switches off, Vault hints; owner and
anonymous."""

import re

import pytest

from jobs.models import JobSetting
from vault import integrations

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}
URL = "/tasks/immaculate_taste/missing-titles"


def card_of(html: str, key: str) -> str:
    start = html.index(f'id="job-{key}"')
    return html[start:html.index("</article>", start)]


def checked(html: str, name: str) -> bool:
    tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', html).group(0)
    return " checked" in tag


def disabled(html: str, name: str) -> bool:
    return " disabled" in re.search(rf'<input[^>]*name="{name}"[^>]*>', html).group(0)


def test_missing_titles_only_on_the_two_jobs_and_off_by_default(admin_client):
    html = admin_client.get("/tasks").content.decode()

    for key in ("immaculate_taste", "latest_watched"):
        card = card_of(html, key)
        assert "<legend>Missing titles</legend>" in card
        assert not checked(card, "fetch_missing") and not checked(card, "approval")
        assert re.search(r'value="direct"[^>]*checked', card)
        assert "Radarr for movies, Sonarr for TV" in card and "Overseerr" in card
    for key in ("immaculate_taste_refresher", "fresh_out_of_the_oven"):
        assert "Missing titles" not in card_of(html, key)
    assert 'id="id_immaculate_taste_fetch_missing"' in html
    assert 'id="id_latest_watched_fetch_missing"' in html


def test_missing_titles_htmx_save_swaps_the_card(admin_client):
    response = admin_client.post(URL, {"fetch_missing": "on", "route": "direct",
                                       "search_now": "on"}, **HTMX)

    html = response.content.decode()
    s = JobSetting.objects.get(job="immaculate_taste")
    assert (s.fetch_missing, s.route, s.approval, s.search_now) == (True, "direct", False, True)
    assert html.lstrip().startswith('<article class="card job-card" id="job-immaculate_taste"')
    assert "<html" not in html and 'role="status">Saved.</p>' in html
    assert checked(html, "fetch_missing") and checked(html, "search_now")
    assert 'name="auto_run"' in html and 'name="seed_title"' in html  # the rest of the card


def test_missing_titles_overseerr_turns_direct_switches_off_and_disables_them(admin_client):
    JobSetting.objects.create(job="immaculate_taste", approval=True, search_now=True)

    response = admin_client.post(URL, {"fetch_missing": "on", "route": "overseerr",
                                       "approval": "on", "search_now": "on"}, **HTMX)

    html = response.content.decode()
    s = JobSetting.objects.get(job="immaculate_taste")
    assert (s.route, s.approval, s.search_now) == ("overseerr", False, False)
    assert 'role="status">Saved; approval and search now were turned off.</p>' in html
    assert "approval and search now are off while this task sends to Overseerr." in html
    assert disabled(html, "approval") and disabled(html, "search_now")
    assert not checked(html, "approval") and not disabled(html, "fetch_missing")


def test_missing_titles_back_to_direct_enables_the_switches(admin_client):
    JobSetting.objects.create(job="latest_watched", route="overseerr")

    html = admin_client.post("/tasks/latest_watched/missing-titles",
                             {"route": "direct", "approval": "on"}, **HTMX).content.decode()

    assert JobSetting.objects.get(job="latest_watched").approval is True
    assert not disabled(html, "approval") and "sends to Overseerr" not in html


def test_missing_titles_without_js_redirects_with_a_message(admin_client):
    response = admin_client.post(URL, {"route": "overseerr"}, follow=True)

    html = response.content.decode()
    assert response.redirect_chain == [("/tasks#job-immaculate_taste", 302)]
    assert "Immaculate Taste Collection: Saved." in html
    assert JobSetting.objects.get(job="immaculate_taste").route == "overseerr"


def test_missing_titles_bad_route_is_shown_inline_and_not_saved(admin_client):
    html = admin_client.post(URL, {"route": "carrier-pigeon"}, **HTMX).content.decode()

    assert "Select a valid choice. carrier-pigeon is not one of the available choices." in html
    assert 'class="form-error" role="alert"' in html
    assert not JobSetting.objects.filter(job="immaculate_taste").exists()


def test_missing_titles_bad_route_without_js_shows_the_page_with_the_error(admin_client):
    response = admin_client.post(URL, {"route": ""})

    html = response.content.decode()
    assert response.status_code == 400 and "<html" in html
    assert "This field is required." in card_of(html, "immaculate_taste")


def test_missing_titles_on_a_job_without_them_is_404(admin_client):
    response = admin_client.post("/tasks/immaculate_taste_refresher/missing-titles",
                                 {"route": "direct"})

    assert response.status_code == 404 and not JobSetting.objects.exists()


def test_missing_titles_say_which_service_is_not_in_the_vault(admin_client):
    integrations.save("radarr", True, {"url": "http://radarr:7878", "api_key": "k" * 32})

    card = card_of(admin_client.get("/tasks").content.decode(), "immaculate_taste")

    assert "Sonarr is not set up in the Vault yet, so nothing can be sent there." in card
    assert '<a href="/vault">Set up Sonarr in the Vault</a>' in card
    assert "Radarr is not set up" not in card and "Overseerr is not set up" not in card


def test_missing_titles_overseerr_route_asks_for_overseerr(admin_client):
    JobSetting.objects.create(job="immaculate_taste", route="overseerr")

    card = card_of(admin_client.get("/tasks").content.decode(), "immaculate_taste")

    assert "Overseerr is not set up in the Vault yet" in card and "Radarr is not" not in card


def test_missing_titles_anonymous_saves_nothing(client, admin_user):
    response = client.post(URL, {"fetch_missing": "on", "route": "overseerr"}, **HTMX)

    assert response["HX-Redirect"].startswith("/login")
    assert not JobSetting.objects.exists()


def test_task_manager_element_ids_are_unique(admin_client):
    html = admin_client.get("/tasks").content.decode()

    found = re.findall(r' id="([^"]+)"', html)
    assert sorted({i for i in found if found.count(i) > 1}) == []
