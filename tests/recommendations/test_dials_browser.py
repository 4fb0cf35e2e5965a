"""Command Center → Recommendations in a real browser: errors come back inline through htmx,
a valid save persists; no console (CSP) errors."""

import pytest

from recommendations.models import RecommendationSettings
from tests.browser import browser_page, sign_in

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

FIELDS = ("suggestions_per_run", "upcoming_percent", "max_points", "collection_limit")


def dials(page) -> dict[str, str]:
    return {name: page.input_value(f"input[name={name}]") for name in FIELDS}


def test_browser_dials_invalid_value_shows_inline_error_valid_save_persists(
        live_server, chromium_path, admin_user):
    url = f"{live_server.url}/command-center/recommendations"
    with browser_page(chromium_path) as page:
        sign_in(page, live_server.url)
        page.goto(url)
        marker = page.evaluate("() => (window.dialsPage = 'same page')")

        # The browser's own check stops an out-of-range value before any request.
        page.fill("input[name=upcoming_percent]", "80")
        page.click("#recommendation-dials button[type=submit]")
        native = page.eval_on_selector("input[name=upcoming_percent]",
                                       "el => el.validationMessage")
        # A client that skips that check gets the server's error, swapped in by htmx.
        page.eval_on_selector("input[name=upcoming_percent]",
                              "el => { el.removeAttribute('max'); el.removeAttribute('min'); }")
        with page.expect_response(lambda r: r.request.method == "POST") as posted:
            page.click("#recommendation-dials button[type=submit]")
        page.wait_for_selector("#recommendation-dials em.error")
        inline = page.locator("#recommendation-dials label.invalid em.error").all_inner_texts()
        kept_page = page.evaluate("() => window.dialsPage")
        saved_after_error = RecommendationSettings.load().upcoming_percent

        page.fill("input[name=suggestions_per_run]", "20")
        page.fill("input[name=upcoming_percent]", "40")
        page.fill("input[name=max_points]", "30")
        page.fill("input[name=collection_limit]", "25")
        page.click("#recommendation-dials button[type=submit]")
        page.wait_for_selector("#recommendation-dials [role=status]")
        status = page.locator("#recommendation-dials [role=status]").inner_text()
        page.reload()
        after_reload = dials(page)

        assert native != ""
        assert posted.value.request.headers.get("hx-request") == "true"
        assert (marker, kept_page) == ("same page", "same page")  # swapped, not navigated
        assert inline == ["Upcoming releases goes from 0 to 75%."]
        assert saved_after_error == 25
        assert status == "Saved."
        assert after_reload == {"suggestions_per_run": "20", "upcoming_percent": "40",
                                "max_points": "30", "collection_limit": "25"}
        dials_row = RecommendationSettings.load()
        assert (dials_row.suggestions_per_run, dials_row.upcoming_percent,
                dials_row.max_points, dials_row.collection_limit) == (20, 40, 30, 25)
        assert page.errors == []
