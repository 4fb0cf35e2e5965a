"""The Radarr card in Chromium at 390 px: saving keeps the form, the choices load into their
own block, no horizontal scroll, no console errors. Screenshots go to /tmp/arrdefaults-*.png."""

import pytest

from tests.browser import browser_page, sign_in

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [390, 1280])
def test_browser_radarr_card_keeps_its_form_after_save(live_server, chromium_path, admin_user,
                                                       configured_vault, width):
    with browser_page(chromium_path) as page:
        page.set_viewport_size({"width": width, "height": 900})
        sign_in(page, live_server.url)
        page.goto(f"{live_server.url}/vault")
        page.wait_for_selector("#radarr-choices:not([hx-get]) select[name=quality_profile]")
        page.click("#radarr button:has-text('Save')")
        page.wait_for_selector("#radarr >> text=Saved.")
        page.wait_for_selector("#radarr-choices:not([hx-get]) select[name=quality_profile]")
        page.locator("#radarr").scroll_into_view_if_needed()
        page.screenshot(path=f"/tmp/arrdefaults-radarr-{width}.png", full_page=True)

        assert page.locator("#radarr form input[name=url]").count() == 1
        assert page.locator("#radarr button:has-text('Test')").count() == 1
        assert page.locator("[id=radarr-choices]").count() == 1
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        assert page.errors == []


def test_browser_sonarr_card_with_a_lost_root_folder_at_390(live_server, chromium_path,
                                                            admin_user, configured_vault):
    from vault import integrations

    values = integrations.get_config("sonarr").values
    integrations.save("sonarr", True, {**values, "root_folder": "/old-tv"})
    with browser_page(chromium_path) as page:
        page.set_viewport_size({"width": 390, "height": 900})
        sign_in(page, live_server.url)
        page.goto(f"{live_server.url}/vault")
        page.wait_for_selector("#sonarr-choices:not([hx-get]) select[name=quality_profile]")
        page.locator("#sonarr").scroll_into_view_if_needed()
        page.locator("#sonarr").screenshot(path="/tmp/arrdefaults-sonarr-390.png")

        assert page.locator("#sonarr-choices .warning").inner_text() == (
            "Sonarr has no root folder /old-tv any more; choose one.")
        assert "Sonarr v4 has no language profiles" in page.locator("#sonarr-choices").inner_text()
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        assert page.errors == []
