"""The rejected list: per viewer, searched, paged; Restore forgets a rejection (a rejected
missing title goes back to waiting for approval); odd ids never 500; in Chromium at 390 px no
sideways scroll and 0 console (CSP) errors."""

from __future__ import annotations

import html
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from recommendations.models import MissingSend, RejectedTitle
from tests.browser import browser_page, sign_in
from tests.jobs.factories import libraries, viewers

pytestmark = pytest.mark.django_db
URL = reverse("observatory:rejected")
SHOT = Path(__file__).resolve().parents[2] / "data" / "screenshots" / "rejected-390.png"


@pytest.fixture
def people(db):
    return viewers()


def reject(viewer, tmdb_id: int, title: str, media_type: str = "movie") -> RejectedTitle:
    return RejectedTitle.objects.create(viewer=viewer, media_type=media_type, tmdb_id=tmdb_id,
                                        title=title)


def titles(response) -> list[str]:
    return [str(row) for row in response.context["page"].object_list]


def test_rejected_list_defaults_to_the_first_monitored_viewer(admin_client, people):
    reject(people["ava"], 1, "Ava's Pick")
    reject(people["bea"], 2, "Bea's Pick")

    response = admin_client.get(URL)

    assert response.context["viewer"] == people["ava"]
    assert titles(response) == ["Ava's Pick"]
    assert [v.name for v in response.context["viewers"]] == ["Ava Owner", "Bea", "Cy"]


def test_rejected_list_shows_the_chosen_viewer_newest_first(admin_client, people):
    reject(people["bea"], 2, "Quiet Harbour", "show")
    reject(people["bea"], 3, "The Velvet Mirror")
    reject(people["cy"], 4, "Cy's Pick")

    response = admin_client.get(URL, {"viewer": people["bea"].pk})

    assert titles(response) == ["The Velvet Mirror", "Quiet Harbour"]
    page = response.content.decode()
    assert "TV show" in page
    assert "2 titles rejected for Bea" in page
    assert reverse("recommendations:cc_resets") + "#reset-rejected" in page


def test_rejected_list_empty_state_names_the_viewer(admin_client, people):
    response = admin_client.get(URL, {"viewer": people["bea"].pk})

    assert "Nothing rejected for Bea." in response.content.decode()


def test_rejected_list_search_matches_part_of_the_title(admin_client, people):
    reject(people["bea"], 2, "Quiet Harbour")
    reject(people["bea"], 3, "The Velvet Mirror")

    found = admin_client.get(URL, {"viewer": people["bea"].pk, "q": "velvet"})
    none = admin_client.get(URL, {"viewer": people["bea"].pk, "q": "zebra"})

    assert titles(found) == ["The Velvet Mirror"]
    assert titles(none) == []
    assert "Nothing on Bea's rejected list matches “zebra”." in none.content.decode()


def test_rejected_list_pages_by_fifty(admin_client, people):
    for n in range(1, 121):
        reject(people["bea"], n, f"Title {n:03}")

    first = admin_client.get(URL, {"viewer": people["bea"].pk})
    last = admin_client.get(URL, {"viewer": people["bea"].pk, "page": "3"})
    odd = admin_client.get(URL, {"viewer": people["bea"].pk, "page": "²"})

    assert len(titles(first)) == 50
    assert titles(first)[0] == "Title 120"
    assert titles(last) == [f"Title {n:03}" for n in range(20, 0, -1)]
    assert "Page 1 of 3" in first.content.decode()
    assert titles(odd) == titles(first)


def test_restore_forgets_the_rejection_and_says_so(admin_client, people):
    keep = reject(people["bea"], 2, "Quiet Harbour")
    gone = reject(people["bea"], 3, "The Velvet Mirror")

    response = admin_client.post(URL, {"viewer": people["bea"].pk, "restore": gone.pk},
                                 follow=True)

    assert list(RejectedTitle.objects.all()) == [keep]
    assert response.redirect_chain[0][0] == f"{URL}?viewer={people['bea'].pk}&q="
    assert ("Restored The Velvet Mirror: it may be suggested to Bea again."
            in response.content.decode())


def test_restore_of_a_rejected_missing_title_puts_it_back_to_approval(admin_client, people):
    libs = libraries()
    row = reject(people["bea"], 1003, "Three")
    send = MissingSend.objects.create(viewer=people["bea"], library=libs["1"], media_type="movie",
                                      tmdb_id=1003, title="Three", task="immaculate_taste",
                                      route="radarr", state="rejected")

    response = admin_client.post(URL, {"viewer": people["bea"].pk, "restore": row.pk},
                                 headers={"HX-Request": "true"})

    send.refresh_from_db()
    assert send.state == "awaiting_approval"
    assert RejectedTitle.objects.count() == 0
    assert "waiting for approval again for Bea" in response.content.decode()
    assert "<html" not in response.content.decode()  # the fragment only


def test_restore_of_another_viewers_title_changes_nothing(admin_client, people):
    theirs = reject(people["cy"], 4, "Cy's Pick")

    response = admin_client.post(URL, {"viewer": people["bea"].pk, "restore": theirs.pk},
                                 follow=True)

    assert RejectedTitle.objects.count() == 1
    assert ("That title is no longer on Bea's rejected list."
            in html.unescape(response.content.decode()))


@pytest.mark.parametrize("odd", ["", "²", "١٢", "-1", "9" * 30, "x" * 10_000])
def test_restore_with_an_odd_id_is_a_400_with_a_sentence(admin_client, people, odd):
    reject(people["bea"], 2, "Quiet Harbour")

    response = admin_client.post(URL, {"viewer": people["bea"].pk, "restore": odd})

    assert response.status_code == 400
    assert "Choose a title to restore from the list." in response.content.decode()
    assert RejectedTitle.objects.count() == 1


@pytest.mark.parametrize("odd", ["²", "-1", "9" * 30, str(2**31), "x"])
def test_rejected_list_odd_viewer_is_a_form_error(admin_client, people, odd):
    response = admin_client.get(URL, {"viewer": odd})

    assert response.status_code == 200
    assert response.context["viewer"] == people["ava"]
    assert "That viewer is not one of the monitored viewers" in response.content.decode()


def test_rejected_list_unmonitored_viewer_is_refused(admin_client, people):
    response = admin_client.get(URL, {"viewer": people["kiddo"].pk})

    assert response.context["viewer"] == people["ava"]
    assert response.context["error"]


def test_rejected_list_without_viewers_says_what_to_do(admin_client):
    response = admin_client.get(URL)

    assert "No monitored viewers yet." in response.content.decode()


def test_rejected_list_anonymous_is_sent_to_login(client, admin_user, people):
    response = client.get(URL)

    assert response.status_code == 302
    assert "/login" in response["Location"]


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_browser_rejected_list_at_390_px_restores_without_sideways_scroll(
        live_server, chromium_path, admin_user):
    bea = viewers()["bea"]
    for n, title in enumerate(["The Extraordinarily Long-Winded Chronicle of Velvet Mirrors",
                               "Quiet Harbour", "Supercalifragilisticexpialidocious Returns"]):
        RejectedTitle.objects.create(viewer=bea, media_type="show" if n == 1 else "movie",
                                     tmdb_id=100 + n, title=title)
    with browser_page(chromium_path) as page:
        page.set_viewport_size({"width": 390, "height": 844})
        sign_in(page, live_server.url)
        page.goto(f"{live_server.url}/observatory/rejected?viewer={bea.pk}")
        wide = page.evaluate("document.documentElement.scrollWidth")
        SHOT.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOT), full_page=True)

        page.click("button[aria-label='Restore Quiet Harbour']")
        page.wait_for_selector("#rejected [role=status]:has-text('Restored Quiet Harbour')")
        rows = page.locator("#rejected-titles article").count()
        page.fill("input[name=q]", "velvet")
        page.click("#rejected button:has-text('Show')")
        expect(page.locator("#rejected-titles article")).to_have_count(1)
        searched_url = page.url
        errors = list(page.errors)

    assert wide <= 390
    assert rows == 2
    assert "q=velvet" in searched_url
    assert sorted(RejectedTitle.objects.values_list("title", flat=True)) == [
        "Supercalifragilisticexpialidocious Returns",
        "The Extraordinarily Long-Winded Chronicle of Velvet Mirrors"]
    assert errors == []
