"""A TV deck: Bea · TV Shows in the approval pass, with shows of the catalog Sonarr lacks. The
card shows the seasons (from the TMDB details a run cached) and that approving sends it to
Sonarr; → sends exactly that series to the Sonarr double by TVDB id, only when the debounced
apply runs; ← puts the show on Bea's rejected list and sends nothing. Driven as the page
drives it: htmx posts through the Django test client."""

from __future__ import annotations

import html as markup

import pytest
from django.urls import reverse
from django.utils import timezone

from observatory import tasks
from observatory.models import Decision
from recommendations.engine.tmdbcache import CachedTmdb
from recommendations.missing.routing import Missing
from recommendations.missing.send import send_missing
from recommendations.models import ImmaculateTasteTitle, MissingSend, RejectedTitle
from tests.fakes.moviedb import details_shape
from tests.observatory.conftest import WAIT

pytestmark = pytest.mark.django_db
DECK, DECIDE = reverse("observatory:deck"), reverse("observatory:decide")
HTMX = {"HX-Request": "true"}


class CatalogTmdb:
    """TMDB answering from the catalog, as the TMDB double would."""

    def __init__(self, catalog):
        self.catalog = catalog

    def details(self, kind, tmdb_id):
        return details_shape(self.catalog.get(kind, tmdb_id), "external_ids")


def seasons(n: int) -> str:
    return f"{n} season{'s' if n != 1 else ''}"


@pytest.fixture
def tv(who, arr, arr_catalog):
    """Two catalog shows Plex and Sonarr lack, found by an Immaculate Taste run for Bea · TV
    Shows with approval on (so they wait for approval, routed to Sonarr), their TMDB
    details cached as the run's pipeline caches them."""
    people, libs = who
    bea, shows, now = people["bea"], libs["2"], timezone.now()
    picks = [t for t in arr_catalog.shows if not t.in_plex and not t.upcoming
             and arr["sonarr"].series_by_tvdb(t.tvdb_id) is None][:2]
    for t in picks:
        ImmaculateTasteTitle.objects.create(
            viewer=bea, library=shows, media_type="show", tmdb_id=t.tmdb_id,
            tvdb_id=t.tvdb_id, title=t.title, year=t.year, vote_average=t.vote_average,
            vote_count=t.vote_count, why="Because you watched Severance", points=50,
            status="pending", first_suggested_at=now, last_suggested_at=now)
        CachedTmdb(CatalogTmdb(arr_catalog)).details("show", t.tmdb_id)
    send_missing(bea, shows, "show", [Missing(t.tmdb_id, t.title, t.year, tvdb_id=t.tvdb_id)
                                      for t in picks], "immaculate_taste", WAIT, False)
    arr["sonarr"].clear()
    return {"bea": bea, "shows": shows, "picks": picks, "sonarr": arr["sonarr"],
            "scope": {"viewer": bea.pk, "library": shows.pk}}


def series_posts(sonarr) -> list[dict]:
    return [r.json() for r in sonarr.requests if (r.method, r.path) == ("POST", "/api/v3/series")]


def test_tv_card_shows_seasons_and_that_approve_sends_it_to_sonarr(admin_client, tv,
                                                                    enqueued):
    first = tv["picks"][0]

    page = admin_client.get(DECK, tv["scope"]).content.decode()

    assert "Approval pass" in page and "Bea · TV Shows" in page and "2 cards left" in page
    card = page.split('class="swipe-card top"')[1].split("</article>")[0]
    assert f'data-tmdb="{first.tmdb_id}"' in card
    assert first.title in card
    assert f" · {seasons(first.seasons)}" in card
    assert " min" not in card  # seasons, not a runtime
    assert markup.escape(", ".join(first.genres.values())) in card
    assert "approve sends it to Sonarr" in card
    assert f'src="{reverse("observatory:poster", args=["tv", first.tmdb_id])}"' in card


def decide(client, tv, tmdb_id: int, action: str, commits) -> str:
    """The htmx post of a swipe; its transaction's on_commit (the enqueue) runs."""
    with commits(execute=True):
        answer = client.post(DECIDE, {**tv["scope"], "tmdb_id": tmdb_id, "action": action},
                             headers=HTMX)
    assert answer.status_code == 200
    return answer.content.decode()


def test_approve_sends_exactly_that_series_to_sonarr_by_tvdb_id_after_the_debounce(
        admin_client, tv, enqueued, syncs, django_capture_on_commit_callbacks):
    first, second = tv["picks"]
    sonarr = tv["sonarr"]

    html = decide(admin_client, tv, first.tmdb_id, "approve",
                  django_capture_on_commit_callbacks)

    assert f"Approved {first.title} — sent to Sonarr in a moment" in html
    assert f'data-tmdb="{second.tmdb_id}"' in html.split('id="deck-status"')[0]
    assert sonarr.requests == []  # saved at once, sent later
    [(kwargs, countdown)] = enqueued
    assert kwargs == {"viewer_id": tv["bea"].pk, "library_id": tv["shows"].pk,
                      "debounce": tasks.debounce()}
    assert countdown == tasks.debounce()

    report = tasks.apply_decisions.apply(kwargs=kwargs).get()  # the task, when it comes due

    assert report == {"applied": 1, "sent": 1, "rows_synced": False}
    assert [body["tvdbId"] for body in series_posts(sonarr)] == [first.tvdb_id]
    assert sonarr.series_by_tvdb(first.tvdb_id)["title"] == first.title
    assert sonarr.series_by_tvdb(second.tvdb_id) is None
    send = MissingSend.objects.get(tmdb_id=first.tmdb_id)
    assert (send.route, send.state, send.media_type) == ("sonarr", "sent", "show")
    assert Decision.objects.get().applied_at is not None
    assert syncs == []


def test_reject_puts_the_show_on_the_rejected_list_and_sends_nothing(
        admin_client, tv, enqueued, syncs, django_capture_on_commit_callbacks):
    first = tv["picks"][0]

    html = decide(admin_client, tv, first.tmdb_id, "reject", django_capture_on_commit_callbacks)

    assert f"Rejected {first.title} — on the rejected list" in html
    assert list(RejectedTitle.objects.values_list("viewer__name", "media_type", "tmdb_id")) == [
        ("Bea", "show", first.tmdb_id)]
    assert not ImmaculateTasteTitle.objects.filter(tmdb_id=first.tmdb_id).exists()
    rejected = admin_client.get(reverse("observatory:rejected"),
                                {"viewer": tv["bea"].pk}).content.decode()
    assert first.title in rejected and "TV show" in rejected

    report = tasks.apply_decisions.apply(kwargs=enqueued[0][0]).get()

    assert (report["sent"], report["rows_synced"]) == (0, True)
    assert syncs == [("Bea", "TV Shows")]
    assert tv["sonarr"].requests == []
    assert MissingSend.objects.get(tmdb_id=first.tmdb_id).state == "rejected"
