"""Every Command Center dial says its range next to the input and the server refuses a value
outside it (both ends, each dial) with a sentence naming the range, saving nothing; the
admin's change form enforces the same bounds (they live once, in the model validators)."""

import pytest
from django.urls import reverse

from recommendations.forms.dials import DialsForm, model_bounds
from recommendations.models import RecommendationSettings

URL = reverse("recommendations:cc_dials")
VALID = {"suggestions_per_run": "20", "upcoming_percent": "40", "max_points": "30",
         "collection_limit": "25"}
DEFAULTS = {"suggestions_per_run": 10, "upcoming_percent": 25, "max_points": 50,
            "collection_limit": 15}
SENTENCES = {"suggestions_per_run": "Suggestions per run goes from 5 to 100.",
             "upcoming_percent": "Upcoming releases goes from 0 to 75%.",
             "max_points": "Max points goes from 1 to 100.",
             "collection_limit": "Collection limit goes from 1 to 200."}
BOUNDS = {"suggestions_per_run": (5, 100), "upcoming_percent": (0, 75),
          "max_points": (1, 100), "collection_limit": (1, 200)}


def stored() -> dict[str, int]:
    row = RecommendationSettings.load()
    return {name: getattr(row, name) for name in DEFAULTS}


def test_bounds_come_from_the_model_validators():
    assert {name: (model_bounds(name)["min"], model_bounds(name)["max"])
            for name in DialsForm.Meta.fields} == BOUNDS


@pytest.mark.parametrize("name", [*DEFAULTS, "tmdb_request_budget"])
def test_each_dial_help_text_names_its_range(name):
    field = RecommendationSettings._meta.get_field(name)
    bounds = model_bounds(name)

    assert f"{bounds['min']}–{bounds['max']}" in str(field.help_text)


def test_the_page_shows_each_range_under_its_input(admin_client):
    body = admin_client.get(URL).content.decode()

    for low, high in BOUNDS.values():
        assert f"{low}–{high}" in body
    assert body.count("<small>") >= len(BOUNDS)


@pytest.mark.parametrize("name", list(DEFAULTS))
@pytest.mark.parametrize("side", ["below", "above"])
def test_a_value_outside_the_range_is_refused_and_nothing_is_saved(admin_client, name, side):
    low, high = BOUNDS[name]
    value = low - 1 if side == "below" else high + 1

    response = admin_client.post(URL, VALID | {name: str(value)}, headers={"HX-Request": "true"})

    body = response.content.decode()
    assert response.status_code == 200
    assert body.count('class="error"') == 1
    assert SENTENCES[name] in body
    assert "Saved." not in body
    assert stored() == DEFAULTS  # the other, valid dials were not saved either


def test_max_points_zero_is_refused(admin_client):
    response = admin_client.post(URL, VALID | {"max_points": "0"})

    assert "Max points goes from 1 to 100." in response.content.decode()
    assert RecommendationSettings.load().max_points == 50


def test_the_ends_of_each_range_are_accepted(admin_client):
    lows = {name: str(low) for name, (low, _) in BOUNDS.items()}
    highs = {name: str(high) for name, (_, high) in BOUNDS.items()}

    first = admin_client.post(URL, lows, headers={"HX-Request": "true"})
    at_low = stored()
    second = admin_client.post(URL, highs, headers={"HX-Request": "true"})

    assert "Saved." in first.content.decode() and "Saved." in second.content.decode()
    assert at_low == {name: low for name, (low, _) in BOUNDS.items()}
    assert stored() == {name: high for name, (_, high) in BOUNDS.items()}


def test_admin_change_form_refuses_out_of_range_budget(admin_client):
    RecommendationSettings.load()
    url = reverse("admin:recommendations_recommendationsettings_change", args=[1])
    data = {name: str(value) for name, value in DEFAULTS.items()} | {
        "max_points": "0", "tmdb_request_budget": "5"}

    response = admin_client.post(url, data)

    body = response.content.decode()
    assert response.status_code == 200  # the form again, not a redirect
    assert "Ensure this value is greater than or equal to 10." in body
    assert "Ensure this value is greater than or equal to 1." in body
    row = RecommendationSettings.load()
    assert (row.max_points, row.tmdb_request_budget) == (50, 120)
