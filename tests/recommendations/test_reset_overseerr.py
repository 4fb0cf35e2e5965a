"""Command Center → Resets → Overseerr requests, against the Overseerr double: only ours by
default, every request on request, the preview is what goes (issue 12, must-show 7)."""

import re

import pytest
from django.urls import reverse

from recommendations.models import MissingSend, SendState
from tests.fakes.catalog import Catalog
from tests.fakes.overseerr import OverseerrDouble
from vault import integrations
from vault.clients.overseerr import OverseerrClient

URL = reverse("recommendations:cc_resets")
HTMX = {"HX-Request": "true"}


@pytest.fixture(scope="module")
def double():
    server = OverseerrDouble(Catalog(n_movies=40, n_shows=10, seed=12)).start()
    yield server
    server.stop()


@pytest.fixture
def overseerr(double, db, settings):
    settings.VAULT_HTTP_RETRIES = 0
    settings.VAULT_HTTP_TIMEOUT = 1.0
    double.reset()
    integrations.save("overseerr", True, {"url": double.url, "api_key": double.api_key})
    return double


def missing_movies(double, n: int):
    return [t for t in double.catalog.movies if not t.in_plex][2:2 + n]  # past the seeded two


@pytest.fixture
def ours(overseerr, viewer, other_viewer):
    """Three seeded requests that are not ours (ids 1-3) and two we made (4, 5), plus rows
    that must not be touched: a Radarr send with id 4 and an Overseerr title not sent yet."""
    client = OverseerrClient(overseerr.url, overseerr.api_key)
    rows = []
    for t, who in zip(missing_movies(overseerr, 2), (viewer, other_viewer), strict=True):
        made = client.request_movie(t.tmdb_id, user_id=2)
        rows.append(MissingSend.objects.create(
            viewer=who, media_type="movie", tmdb_id=t.tmdb_id, title=t.title, year=t.year,
            task="immaculate_taste", route="overseerr", state=SendState.SENT,
            service_id=made["id"], requested_as=2, requested_as_name="alice"))
    extra = missing_movies(overseerr, 4)[2:]
    MissingSend.objects.create(viewer=viewer, media_type="movie", tmdb_id=extra[0].tmdb_id,
                               title=extra[0].title, task="immaculate_taste", route="radarr",
                               state=SendState.SENT, service_id=rows[0].service_id)
    MissingSend.objects.create(viewer=viewer, media_type="movie", tmdb_id=extra[1].tmdb_id,
                               title=extra[1].title, task="immaculate_taste",
                               route="overseerr", state=SendState.TO_SEND)
    overseerr.clear()
    return rows


def post(client, action: str, which: str = "ours", confirm: str = "", ids: str = ""):
    return client.post(URL, {"reset": "overseerr", "action": action, "overseerr-which": which,
                             "overseerr-ids": ids, "overseerr-confirm": confirm},
                       headers=HTMX).content.decode()


def previewed_ids(body: str) -> str:
    return re.search(r'name="overseerr-ids" value="([\d,]*)"', body).group(1)


def deleted(double) -> list[int]:
    return [int(r.path.rsplit("/", 1)[1]) for r in double.requests if r.method == "DELETE"]


def test_reset_overseerr_offered_with_only_ours_chosen(admin_client, overseerr):
    body = admin_client.get(URL).content.decode()

    assert 'id="reset-overseerr"' in body
    assert re.search(r'value="ours"[^>]*checked', body)
    assert "Every request in Overseerr, the viewers&#x27; own included" in body


def test_reset_overseerr_preview_lists_ours_and_deletes_nothing(admin_client, ours, overseerr):
    body = post(admin_client, "preview")

    first, second = ours
    assert "would remove <strong>2</strong> Overseerr requests (Only the requests " \
        "Immaculaterr made)" in body
    assert f"<li>{first.title} ({first.year}), movie, for Alice</li>" in body
    assert f"<li>{second.title} ({second.year}), movie, for Bob</li>" in body
    assert previewed_ids(body) == f"{first.service_id},{second.service_id}"
    assert deleted(overseerr) == [] and sorted(overseerr.media_requests) == [1, 2, 3, 4, 5]


def test_reset_overseerr_deletes_only_ours_exactly_as_previewed(admin_client, ours, overseerr):
    ids = previewed_ids(post(admin_client, "preview"))

    body = post(admin_client, "reset", confirm="reset", ids=ids)

    assert "Removed 2 Overseerr requests (Only the requests Immaculaterr made)." in body
    assert deleted(overseerr) == [int(i) for i in ids.split(",")] == [4, 5]
    assert sorted(overseerr.media_requests) == [1, 2, 3]  # the viewers' own stay
    assert sorted(MissingSend.objects.values_list("route", "state")) == [
        ("overseerr", "to_send"), ("radarr", "sent")]  # the sent titles may go again


def test_reset_overseerr_without_typed_word_removes_nothing(admin_client, ours, overseerr):
    body = post(admin_client, "reset", confirm="yes", ids="4,5")

    assert "Type &quot;reset&quot; to confirm; nothing was removed." in body
    assert "would remove <strong>2</strong>" in body
    assert deleted(overseerr) == [] and MissingSend.objects.count() == 4


def test_reset_overseerr_every_request_pages_through_all(admin_client, ours, overseerr,
                                                         monkeypatch):
    monkeypatch.setattr("recommendations.views.resets.PAGE", 2)

    body = post(admin_client, "preview", which="every")

    assert "would remove <strong>5</strong> Overseerr requests (Every request" in body
    assert previewed_ids(body) == "1,2,3,4,5"
    assert overseerr.count("GET", r"/api/v1/request$") == 3
    assert f"<li>{ours[0].title} ({ours[0].year}), movie, requested by alice</li>" in body
    assert "requested by owner</li>" in body and "requested by bob</li>" in body


def test_reset_overseerr_every_request_deletes_what_was_previewed_not_newer(
        admin_client, ours, overseerr):
    ids = previewed_ids(post(admin_client, "preview", which="every"))
    later = missing_movies(overseerr, 5)[4]
    newer = OverseerrClient(overseerr.url, overseerr.api_key).request_movie(later.tmdb_id)

    body = post(admin_client, "reset", which="every", confirm="reset", ids=ids)

    assert "Removed 5 Overseerr requests (Every request" in body
    assert sorted(deleted(overseerr)) == [1, 2, 3, 4, 5]
    assert list(overseerr.media_requests) == [newer["id"]]


def test_reset_overseerr_request_already_gone_counts_as_removed(admin_client, ours, overseerr):
    ids = previewed_ids(post(admin_client, "preview"))
    del overseerr.media_requests[ours[0].service_id]

    body = post(admin_client, "reset", confirm="reset", ids=ids)

    assert "Removed 2 Overseerr requests" in body
    assert not MissingSend.objects.filter(route="overseerr", service_id__isnull=False).exists()


def test_reset_overseerr_down_says_so_and_marks_nothing(admin_client, ours, overseerr):
    ids = previewed_ids(post(admin_client, "preview"))
    overseerr.down = True

    body = post(admin_client, "reset", confirm="reset", ids=ids)

    card = body.split('id="reset-overseerr"')[1]
    alert = re.search(r'role="alert">([^<]*)<', card).group(1)
    assert alert == (f"Could not reach Overseerr at {overseerr.url}: the connection failed or "
                     "was closed. Nothing was removed.")
    assert "Removed 0" not in body
    assert MissingSend.objects.filter(route="overseerr", service_id__in=[4, 5]).count() == 2


def test_reset_overseerr_every_request_preview_with_overseerr_down_offers_no_reset(
        admin_client, ours, overseerr):
    overseerr.down = True

    body = post(admin_client, "preview", which="every")

    card = body.split('id="reset-overseerr"')[1]
    assert "Could not reach Overseerr" in card and "Nothing was removed." in card
    assert 'value="reset"' not in card and len(overseerr.media_requests) == 5


def test_reset_overseerr_failing_midway_keeps_the_rest(admin_client, ours, overseerr):
    ids = previewed_ids(post(admin_client, "preview"))
    overseerr.fault(status=500, path=r"/api/v1/request/5$", method="DELETE", count=None)

    body = post(admin_client, "reset", confirm="reset", ids=ids)

    assert "Removed 1 Overseerr request (" in body and "Removed 1 of 2" in body
    assert sorted(overseerr.media_requests) == [1, 2, 3, 5]
    assert list(MissingSend.objects.filter(service_id=5, route="overseerr")
                .values_list("title", flat=True)) == [ours[1].title]


def test_reset_overseerr_not_set_up_says_so(admin_client, ours, overseerr):
    integrations.set_enabled("overseerr", False)

    body = post(admin_client, "preview")

    assert "Overseerr" in body and "Nothing was removed." in body
    assert 'value="reset"' not in body.split('id="reset-overseerr"')[1]


def test_reset_overseerr_anonymous_removes_nothing(client, admin_user, ours, overseerr):
    response = client.post(URL, {"reset": "overseerr", "action": "reset",
                                 "overseerr-which": "every", "overseerr-confirm": "reset"},
                           headers=HTMX)

    assert response["HX-Redirect"].startswith(reverse("login"))
    assert deleted(overseerr) == [] and len(overseerr.media_requests) == 5


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_browser_reset_overseerr_preview_then_reset(live_server, chromium_path, admin_user,
                                                    ours, overseerr, tmp_path):
    import os
    from pathlib import Path

    from tests.browser import browser_page, sign_in

    folder = Path(os.environ.get("SHOT_DIR") or tmp_path)
    widths = {}
    with browser_page(chromium_path) as page:
        sign_in(page, live_server.url)
        page.goto(f"{live_server.url}{URL}")
        card = page.locator("#reset-overseerr")
        page.set_viewport_size({"width": 390, "height": 900})
        card.screenshot(path=str(folder / "reset-overseerr-choose-390.png"))
        card.locator("button[value=preview]").click()
        card.locator("text=would remove").wait_for()
        for width in (1280, 390):
            page.set_viewport_size({"width": width, "height": 900})
            widths[width] = page.evaluate("() => document.documentElement.scrollWidth")
            page.screenshot(path=str(folder / f"reset-overseerr-{width}.png"), full_page=True)
        assert card.locator(".reset-items li").count() == 2
        card.locator("input[name=overseerr-confirm]").fill("reset")
        card.locator("button[value=reset]").click()
        page.locator("#reset-overseerr >> text=Removed 2 Overseerr requests").wait_for()

        assert sorted(overseerr.media_requests) == [1, 2, 3]
        assert widths == {1280: 1280, 390: 390} and page.errors == []
