"""Command Center → Recommendations dials: owner, anonymous, htmx and full-page cases."""

from django.urls import reverse

from recommendations.models import RecommendationSettings

URL = reverse("recommendations:cc_dials")
VALID = {"suggestions_per_run": "20", "upcoming_percent": "40", "max_points": "30",
         "collection_limit": "25"}


def test_cc_dials_full_page_shows_defaults(admin_client):
    response = admin_client.get(URL)

    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" in body and 'name="suggestions_per_run"' in body
    assert 'value="10"' in body and 'value="25"' in body and 'value="50"' in body


def test_cc_dials_inputs_carry_the_model_bounds(admin_client):
    body = admin_client.get(URL).content.decode()

    assert 'name="suggestions_per_run" value="10" min="5" inputmode="numeric" max="100"' in body
    assert 'name="upcoming_percent" value="25" min="0" inputmode="numeric" max="75"' in body
    assert 'name="max_points" value="50" min="1" inputmode="numeric" max="100"' in body
    assert 'name="collection_limit" value="15" min="1" inputmode="numeric" max="200"' in body


def test_cc_dials_htmx_gets_only_the_fragment(admin_client):
    response = admin_client.get(URL, headers={"HX-Request": "true"})

    body = response.content.decode()
    assert "<html" not in body and 'id="recommendation-dials"' in body


def test_cc_dials_post_saves_the_settings(admin_client):
    response = admin_client.post(URL, VALID, headers={"HX-Request": "true"})

    dials = RecommendationSettings.load()
    assert (dials.suggestions_per_run, dials.upcoming_percent, dials.max_points,
            dials.collection_limit) == (20, 40, 30, 25)
    assert "Saved." in response.content.decode()


def test_cc_dials_out_of_range_values_get_form_errors(admin_client):
    bad = VALID | {"suggestions_per_run": "4", "upcoming_percent": "80", "max_points": "0",
                   "collection_limit": "201"}

    response = admin_client.post(URL, bad, headers={"HX-Request": "true"})

    body = response.content.decode()
    assert body.count('class="error"') == 4
    assert "Suggestions per run goes from 5 to 100." in body
    assert "Upcoming releases goes from 0 to 75%." in body
    assert RecommendationSettings.load().suggestions_per_run == 10


def test_cc_dials_not_a_number_is_a_form_error(admin_client):
    response = admin_client.post(URL, VALID | {"max_points": "lots"})

    assert "Enter a whole number." in response.content.decode()
    assert RecommendationSettings.load().max_points == 50


def test_cc_dials_anonymous_is_sent_to_login(client, admin_user):
    response = client.get(URL)

    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_cc_dials_anonymous_htmx_gets_client_redirect(client, admin_user):
    response = client.post(URL, VALID, headers={"HX-Request": "true"})

    assert response["HX-Redirect"].startswith(reverse("login"))
    assert RecommendationSettings.load().suggestions_per_run == 10


def test_cc_dials_listed_in_command_center(admin_client):
    response = admin_client.get(reverse("command_center"))

    assert f'hx-get="{URL}"' in response.content.decode()
