"""Help (with the update check against a releases double), the 404 page and the Vault in
Chromium at 1280 and 390 px: 0 console errors, no sideways scroll on a phone, the nav badge
when a newer release is out, and Test on unsaved Vault values. Screenshots go to /tmp/shots."""

from pathlib import Path

import pytest
from django.core.cache import cache

from immaculaterr import updates
from tests.browser import browser_page, sign_in
from tests.fakes.releases import ReleasesServer
from vault import integrations
from vault.models import Integration

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]
SHOTS = Path("/tmp/shots")
NOT_FOUND = "Failed to load resource: the server responded with a status of 404 (Not Found)"


@pytest.fixture
def releases(settings):
    server = ReleasesServer(tag="v9.1.0").start()
    settings.UPDATE_CHECK_URL = server.latest_url()
    settings.UPDATE_CHECK_ENABLED = True
    cache.delete(updates.CACHE_KEY)
    yield server
    cache.delete(updates.CACHE_KEY)
    server.stop()


def look(page, name: str, width: int) -> int:
    page.set_viewport_size({"width": width, "height": 900})
    page.wait_for_load_state("networkidle")
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"h15a-{name}-{width}.png"), full_page=True)
    return page.evaluate("document.documentElement.scrollWidth")


def test_browser_help_404_and_vault_at_both_widths(live_server, chromium_path, admin_user,
                                                   releases, doubles, service_settings):
    doubles.clear()
    widths = {}
    with browser_page(chromium_path) as page:
        sign_in(page, live_server.url)
        badge = page.locator("a.update-badge")
        badge.wait_for()
        badge_text = badge.inner_text()
        for width in (1280, 390):
            page.goto(f"{live_server.url}/help")
            page.locator("#update-status").wait_for()
            widths[f"help-{width}"] = look(page, "help", width)
            help_line = page.locator("#update-status").inner_text()
            before = len(page.errors)
            response = page.goto(f"{live_server.url}/no-such-page")
            widths[f"404-{width}"] = look(page, "404", width)
            status = response.status
            # Chromium logs the document's own 404 status; nothing else may fail there
            assert page.errors[before:] == [NOT_FOUND]
            del page.errors[before:]
            page.goto(f"{live_server.url}/vault")
            widths[f"vault-{width}"] = look(page, "vault", width)
        page.goto(f"{live_server.url}/admin/")
        widths["admin-1280"] = look(page, "admin", 1280)
        tmdb = doubles.credentials()["tmdb"]["key"]
        page.goto(f"{live_server.url}/vault")
        page.fill("#tmdb input[name=api_key]", tmdb)
        page.click("#tmdb button:has-text('Test')")
        result = page.locator("#tmdb-result [role=status]")
        result.wait_for()
        reached = result.inner_text()
        errors = list(page.errors)

    assert badge_text == "9.1.0 available"
    assert help_line.startswith("new Version 9.1.0 is out (you run 0.1.0).")
    assert status == 404
    assert reached.startswith("Reached TMDB; the API key works")
    assert Integration.objects.filter(service="tmdb").count() == 0  # tested, not saved
    assert {k: v for k, v in widths.items() if k.endswith("390") and v > 390} == {}
    assert errors == []
    assert releases.count("GET", "/releases/latest") == 1  # one check for every page shown


def test_browser_vault_saved_cards_test_unsaved_key_and_save_nothing(
        live_server, chromium_path, admin_user, releases, configured_vault):
    before = integrations.get_config("radarr").values["api_key"]
    with browser_page(chromium_path) as page:
        sign_in(page, live_server.url)
        page.goto(f"{live_server.url}/vault")
        scroll = look(page, "vault-saved", 390)
        placeholder = page.get_attribute("#radarr input[name=api_key]", "placeholder")
        page.fill("#radarr input[name=api_key]", "not-the-key")
        page.click("#radarr button:has-text('Test')")
        result = page.locator("#radarr-result [role=status]")
        result.wait_for()
        refused = result.inner_text()
        turn_off = page.locator("#radarr .vault-off button").inner_text()
        errors = list(page.errors)

    assert placeholder == "•••••••• saved"
    assert refused == "Radarr refused the API key (401). Check the API key in the Vault."
    assert turn_off == "Turn off Radarr"
    assert integrations.get_config("radarr").values["api_key"] == before  # nothing saved
    assert (scroll, errors) == (390, [])
