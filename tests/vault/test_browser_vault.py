"""The Vault in a real browser: "Sign in with Plex" from PIN to a saved connection, and the
Test button's inline sentences; no console errors (CSP violations included)."""

import pytest

from tests.browser import browser_page, sign_in
from vault import integrations

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def test_browser_plex_signin_saves_chosen_connection(live_server, chromium_path, admin_user,
                                                     doubles, service_settings):
    doubles.clear()
    choice = f"{doubles.plex.machine_identifier}|{doubles.plex.url}"
    with browser_page(chromium_path) as page:
        sign_in(page, live_server.url)
        page.goto(f"{live_server.url}/vault")
        page.click("#plex-signin button")
        page.wait_for_selector("#plex-signin >> text=Open plex.tv to approve")
        doubles.plextv.authorize_pin(doubles.plextv.last_pin().id)
        page.wait_for_selector(f'#plex-signin input[value="{choice}"]', timeout=10_000)
        page.check(f'input[value="{choice}"]')
        page.click("text=Use this connection")
        page.wait_for_selector("#plex >> text=Saved.")
        help_texts = page.locator("#plex small").all_inner_texts()
        page.click("#plex button:has-text('Test')")
        result = page.locator("#plex-result [role=status]")
        result.wait_for()
        reached = result.inner_text()

        assert help_texts == ["e.g. http://192.168.1.10:32400",
                              "Currently set (…en). Leave blank to keep it."]
        assert reached.startswith("Reached Plex server “Immaculaterr Test Server”")
        assert page.errors == []
    assert integrations.get_config("plex").values["url"] == doubles.plex.url


def test_browser_vault_test_button_shows_failure_sentence(live_server, chromium_path,
                                                          admin_user, configured_vault):
    configured_vault.tmdb.fault(status=401, count=None)
    with browser_page(chromium_path) as page:
        sign_in(page, live_server.url)
        page.goto(f"{live_server.url}/vault")
        page.click("#tmdb button:has-text('Test')")
        result = page.locator("#tmdb-result [role=status]")
        result.wait_for()

        assert result.inner_text() == "TMDB refused the API key (401). Check the API key in " \
                                      "the Vault."
        assert page.locator("#tmdb-result .badge").inner_text() == "Failed"
        assert page.errors == []
