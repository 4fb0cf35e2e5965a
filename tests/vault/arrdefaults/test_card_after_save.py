"""A saved Radarr card keeps its form; the choices loader replaces only its own block."""
import re

import pytest
from django.urls import reverse

from vault import integrations

pytestmark = pytest.mark.django_db
HX = {"HTTP_HX_REQUEST": "true"}


def _loader(page: str) -> str:
    match = re.search(r'<div id="radarr-choices"[^>]*>', page)
    assert match, "the card has no choices block"
    return match.group(0)


def test_saving_radarr_via_htmx_returns_the_whole_card(admin_client, configured_vault):
    values = dict(configured_vault.credentials()["radarr"])
    response = admin_client.post(reverse("vault:save", args=["radarr"]),
                                 {"enabled": "on", **{k: v for k, v in values.items()
                                                      if v is not None}}, **HX)

    page = response.content.decode()
    assert response.status_code == 200
    assert page.lstrip().startswith('<section class="card')
    assert '<form method="post"' in page and 'name="url"' in page
    assert ">Save</button>" in page and ">Test</button>" in page
    loader = _loader(page)
    assert 'hx-target="this"' in loader and 'hx-swap="outerHTML"' in loader
    assert page.count('id="radarr-choices"') == 1
    assert integrations.get_config("radarr").values["api_key"] not in page


def test_the_loader_answer_is_only_the_choices_block(admin_client, configured_vault):
    response = admin_client.get(reverse("vault:arr_choices", args=["radarr"]), **HX)

    page = response.content.decode().strip()
    assert page.startswith('<div id="radarr-choices"') and page.endswith("</div>")
    assert "<form" not in page and "<section" not in page
    assert "hx-get" not in _loader(page)  # the loaded block does not load itself again


def test_unreachable_radarr_gives_a_sentence_not_a_500(admin_client, configured_vault):
    cfg = integrations.get_config("radarr")
    admin_client.post(reverse("vault:save", args=["radarr"]),
                      {"enabled": "on", "url": "http://127.0.0.1:9", "api_key": ""}, **HX)
    assert integrations.get_config("radarr").values["url"] == "http://127.0.0.1:9"

    response = admin_client.get(reverse("vault:arr_choices", args=["radarr"]), **HX)

    page = response.content.decode()
    assert response.status_code == 200
    assert "Choices could not be loaded:" in page and 'role="alert"' in page
    assert cfg.values["api_key"] not in page


def test_sonarr_series_type_is_a_select_and_a_bogus_value_is_refused(admin_client,
                                                                     configured_vault):
    before = integrations.get_config("sonarr").values.get("series_type")
    response = admin_client.post(reverse("vault:save", args=["sonarr"]),
                                 {"enabled": "on", "url": "http://127.0.0.1:8989",
                                  "series_type": "bogus", "season_monitor": "all"}, **HX)

    page = response.content.decode()
    assert '<select name="series_type"' in page and "Saved." not in page
    assert "Select a valid choice." in page
    assert integrations.get_config("sonarr").values.get("series_type") == before
