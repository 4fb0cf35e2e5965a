"""The Observatory page: picker, deck, the no-JavaScript forms, htmx, and constant queries."""

from __future__ import annotations

import pytest
from django.urls import reverse

from observatory.models import Decision
from recommendations.models import RejectedTitle
from tests.observatory.conftest import titles

pytestmark = pytest.mark.django_db
DECK = reverse("observatory:deck")


def scope_of(deck):
    return {"viewer": deck["bea"].pk, "library": deck["movies"].pk}


def test_deck_shows_the_approval_pass_and_its_top_card(admin_client, deck, enqueued):
    page = admin_client.get(DECK, scope_of(deck)).content.decode()

    assert "Approval pass" in page
    assert "2 cards left" in page
    assert "Title 1003" in page
    assert "approve sends it to Radarr" in page
    poster = reverse("observatory:poster", args=["movie", 1003])
    assert f'src="{poster}" alt="Poster of Title 1003"' in page
    assert "image.tmdb.org" not in page
    assert "Because you watched Heat: crime, thriller" in page


def test_picker_remembers_the_last_choice(admin_client, deck):
    admin_client.get(DECK, {"viewer": deck["people"]["cy"].pk,
                            "library": deck["libs"]["2"].pk})

    page = admin_client.get(DECK).content.decode()

    assert "No suggestions yet for Cy · TV — run Immaculate Taste Collection." in page


def test_buttons_without_javascript_decide_and_redirect(admin_client, deck, enqueued):
    answer = admin_client.post(reverse("observatory:decide"), {
        **scope_of(deck), "tmdb_id": 1003, "action": "reject"})

    assert answer.status_code == 302
    assert answer["Location"] == f"{DECK}?viewer={deck['bea'].pk}&library={deck['movies'].pk}"
    assert list(RejectedTitle.objects.values_list("tmdb_id", flat=True)) == [1003]
    page = admin_client.get(answer["Location"]).content.decode()
    assert "Rejected Title 1003 — on the rejected list" in page
    assert "1 card left" in page


def test_htmx_decision_answers_the_next_card_and_the_status_line(admin_client, deck,
                                                                 enqueued):
    answer = admin_client.post(reverse("observatory:decide"), {
        **scope_of(deck), "tmdb_id": 1003, "action": "approve"}, headers={"HX-Request": "true"})

    html = answer.content.decode()
    deck_part, status = html.split('id="deck-status"')
    assert html.lstrip().startswith('<section id="deck"')
    assert 'data-tmdb="1005"' in deck_part and 'data-tmdb="1003"' not in deck_part
    assert "Approved Title 1003 — sent to Radarr in a moment" in status
    assert "<html" not in html


def test_reload_shows_the_same_next_card(admin_client, deck, enqueued):
    admin_client.post(reverse("observatory:decide"), {**scope_of(deck), "tmdb_id": 1003,
                                                      "action": "approve"})

    first = admin_client.get(DECK).content.decode()
    again = admin_client.get(DECK).content.decode()

    assert 'data-tmdb="1005"' in first and 'data-tmdb="1005"' in again
    assert Decision.objects.count() == 1


def test_undo_button_reverts_the_last_decision(admin_client, deck, enqueued):
    admin_client.post(reverse("observatory:decide"), {**scope_of(deck), "tmdb_id": 1003,
                                                      "action": "reject"})

    admin_client.post(reverse("observatory:undo"), scope_of(deck))

    assert RejectedTitle.objects.count() == 0
    assert 'data-tmdb="1003"' in admin_client.get(DECK).content.decode()


def test_odd_values_are_refused_in_a_sentence(admin_client, deck, enqueued):
    answer = admin_client.post(reverse("observatory:decide"), {
        **scope_of(deck), "tmdb_id": "²", "action": "approve"}, follow=True)

    assert "Pick a card first." in answer.content.decode()
    unknown = admin_client.post(reverse("observatory:decide"), {
        **scope_of(deck), "tmdb_id": 4242, "action": "explode"}, follow=True)
    assert "Choose approve, reject, keep or remove." in unknown.content.decode()
    assert Decision.objects.count() == 0


def test_anonymous_is_sent_to_sign_in(client, deck, admin_user):
    answer = client.get(DECK)

    assert answer.status_code == 302
    assert answer["Location"].startswith(reverse("login"))


def deck_queries(client, scope, django_assert_max_num_queries, limit=14):
    with django_assert_max_num_queries(limit) as captured:
        page = client.get(DECK, scope)
    assert "Review pass" in page.content.decode()
    return len(captured)


def test_query_count_does_not_grow_with_the_dataset(admin_client, who,
                                                    django_assert_max_num_queries):
    people, libs = who
    titles(people, libs, range(1, 11))
    titles(people, libs, range(1, 501), library="3")
    small = deck_queries(admin_client, {"viewer": people["bea"].pk, "library": libs["1"].pk},
                         django_assert_max_num_queries)

    big = deck_queries(admin_client, {"viewer": people["bea"].pk, "library": libs["3"].pk},
                       django_assert_max_num_queries)

    assert big == small


def test_card_shows_runtime_genres_and_overview_from_the_tmdb_cache(admin_client, deck):
    from django.utils import timezone

    from observatory.deck.details import cache_key
    from recommendations.models import TmdbCacheEntry

    now = timezone.now()
    TmdbCacheEntry.objects.create(
        key=cache_key("movie", 1003), endpoint="details", fetched_at=now, expires_at=now,
        payload={"runtime": 131, "genres": [{"id": 80, "name": "Crime"},
                                            {"id": 53, "name": "Thriller"}],
                 "overview": "A heist goes wrong."})

    page = admin_client.get(DECK, scope_of(deck)).content.decode()

    assert "★ 7.1 · 1303 votes · 2 h 11 min · Crime, Thriller" in page
    assert '<p class="overview">A heist goes wrong.</p>' in page
