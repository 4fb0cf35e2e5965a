"""Decisions are saved at once; the apply sends approvals; reject, remove and undo."""

from __future__ import annotations

import pytest

from observatory.apply import apply_decisions
from observatory.deck.cards import Scope, next_deck
from observatory.deck.decide import NotOnDeck, decide, undo_last
from observatory.models import Decision
from recommendations.models import ImmaculateTasteTitle, MissingSend, RejectedTitle

pytestmark = pytest.mark.django_db


def scope(deck):
    return Scope(deck["bea"], deck["movies"])


def test_approve_is_saved_and_sends_only_after_apply(deck, arr, syncs, enqueued):
    radarr = arr["radarr"]

    _, message = decide(scope(deck), 1003, "approve")

    assert message == "Approved Title 1003 — sent to Radarr in a moment"
    assert list(Decision.objects.values_list("tmdb_id", "action", "applied_at")) == [
        (1003, "approve", None)]
    assert radarr.count("POST", r".*") == 0
    assert next_deck(scope(deck)).cards[0].tmdb_id == 1005

    report = apply_decisions(deck["bea"], deck["movies"])

    assert report == {"applied": 1, "sent": 1, "rows_synced": False}
    assert radarr.movie_by_tmdb(1003) is not None
    assert radarr.movie_by_tmdb(1005) is None
    assert radarr.count("POST", r"/api/v3/movie$") == 1
    assert MissingSend.objects.get(tmdb_id=1003).state == "sent"
    assert syncs == []


def test_reject_puts_it_on_the_rejected_list_and_syncs_rows_once(deck, arr, syncs, enqueued):
    decide(scope(deck), 1003, "reject")

    assert list(RejectedTitle.objects.values_list("tmdb_id", flat=True)) == [1003]
    assert not ImmaculateTasteTitle.objects.filter(tmdb_id=1003).exists()
    assert apply_decisions(deck["bea"], deck["movies"])["rows_synced"] is True
    assert syncs == [("Bea", "Movies")]
    assert arr["radarr"].count("POST", r".*") == 0


def test_undo_of_a_reject_before_apply_restores_everything(deck, arr, syncs, enqueued):
    decide(scope(deck), 1003, "reject")

    message = undo_last(scope(deck))

    assert message == "Undone: Title 1003 is waiting for approval again"
    assert RejectedTitle.objects.count() == 0
    assert ImmaculateTasteTitle.objects.get(tmdb_id=1003).points == 50
    assert MissingSend.objects.get(tmdb_id=1003).state == "awaiting_approval"
    assert next_deck(scope(deck)).cards[0].tmdb_id == 1003
    assert apply_decisions(deck["bea"], deck["movies"])["applied"] == 0
    assert syncs == []


def test_undo_of_an_approve_before_apply_sends_nothing(deck, arr, syncs, enqueued):
    decide(scope(deck), 1003, "approve")

    undo_last(scope(deck))
    apply_decisions(deck["bea"], deck["movies"])

    assert arr["radarr"].count("POST", r".*") == 0
    assert MissingSend.objects.get(tmdb_id=1003).state == "awaiting_approval"
    assert next_deck(scope(deck)).cards[0].tmdb_id == 1003


def test_undo_after_the_send_says_what_it_cannot_undo(deck, arr, syncs, enqueued):
    decide(scope(deck), 1003, "approve")
    apply_decisions(deck["bea"], deck["movies"])

    message = undo_last(scope(deck))

    assert message == ("Undone here, but Radarr already has Title 1003: remove it there if "
                       "you don't want it")
    assert arr["radarr"].movie_by_tmdb(1003) is not None
    assert Decision.objects.get().undone is True


def test_review_remove_then_undo_after_sync_restores_and_syncs_again(deck, arr, syncs,
                                                                     enqueued):
    s = scope(deck)
    decide(s, 1003, "reject")
    decide(s, 1005, "approve")
    assert next_deck(s).deck_pass == "review"

    decide(s, 1007, "remove")
    apply_decisions(deck["bea"], deck["movies"])
    message = undo_last(s)
    apply_decisions(deck["bea"], deck["movies"])

    assert message == "Undone: Title 1007 is back in the dataset"
    assert ImmaculateTasteTitle.objects.get(tmdb_id=1007).why.startswith("Because")
    assert not RejectedTitle.objects.filter(tmdb_id=1007).exists()
    assert syncs == [("Bea", "Movies"), ("Bea", "Movies")]


def test_keep_moves_to_the_next_card_and_a_second_decision_is_refused(deck, arr, enqueued):
    s = scope(deck)
    decide(s, 1003, "approve")
    decide(s, 1005, "approve")

    decide(s, 1007, "keep")

    assert next_deck(s).cards[0].tmdb_id == 1010
    with pytest.raises(NotOnDeck):
        decide(s, 1007, "remove")
    assert ImmaculateTasteTitle.objects.filter(tmdb_id=1007).exists()


def test_summary_counts_what_was_decided(deck, arr, enqueued):
    s = scope(deck)
    for tmdb_id, action in [(1003, "approve"), (1005, "reject"), (1007, "keep"),
                            (1010, "remove"), (1012, "keep")]:
        decide(s, tmdb_id, action)

    end = next_deck(s)

    assert (end.cards, end.left) == ([], 0)
    assert end.summary == {"Approve": 1, "Reject": 1, "Keep": 2, "Remove": 1}


def test_undo_after_a_send_the_service_never_got_waits_for_approval_again(deck, arr, syncs,
                                                                        enqueued):
    arr["radarr"].down = True
    decide(scope(deck), 1003, "approve")
    apply_decisions(deck["bea"], deck["movies"])
    assert MissingSend.objects.get(tmdb_id=1003).state == "to_send"

    message = undo_last(scope(deck))

    assert message == "Undone: Title 1003 is waiting for approval again"
    assert MissingSend.objects.get(tmdb_id=1003).state == "awaiting_approval"
    assert next_deck(scope(deck)).cards[0].tmdb_id == 1003


def latest(deck, tmdb_id, kind, position):
    from django.utils import timezone

    from recommendations.models import LatestWatchedTitle

    LatestWatchedTitle.objects.create(
        viewer=deck["bea"], library=deck["movies"], media_type="movie", tmdb_id=tmdb_id,
        title=f"Latest {tmdb_id}", list_kind=kind, position=position,
        suggested_at=timezone.now())


def test_review_goes_on_to_latest_watched_titles_once_each(deck, arr, syncs, enqueued):
    from recommendations.models import LatestWatchedTitle

    s = scope(deck)
    latest(deck, 1012, "recently_watched", 1)  # also in Immaculate Taste: reviewed there
    latest(deck, 2001, "recently_watched", 2)
    latest(deck, 2001, "change_of_taste", 1)
    latest(deck, 2002, "change_of_taste", 2)
    for tmdb_id, action in [(1003, "approve"), (1005, "approve"), (1007, "keep"),
                            (1010, "keep")]:
        decide(s, tmdb_id, action)

    before = next_deck(s)
    decide(s, 1012, "keep")
    decide(s, 2001, "remove")

    assert before.left == 3
    assert [c.tmdb_id for c in before.cards] == [1012, 2001, 2002]
    assert not LatestWatchedTitle.objects.filter(tmdb_id=2001).exists()
    assert [c.tmdb_id for c in next_deck(s).cards] == [2002]
    undo_last(s)
    assert LatestWatchedTitle.objects.filter(tmdb_id=2001).count() == 2


def test_another_viewers_decisions_leave_beas_deck_alone(deck, arr, enqueued):
    from tests.observatory.conftest import titles

    people, libs = deck["people"], deck["libs"]
    cy = Scope(people["cy"], libs["1"])
    titles({"bea": people["cy"]}, libs, [1003, 1007])

    decide(cy, 1003, "keep")
    decide(cy, 1007, "remove")

    assert [c.tmdb_id for c in next_deck(scope(deck)).cards] == [1003, 1005]
    assert ImmaculateTasteTitle.objects.filter(viewer=deck["bea"], tmdb_id=1007).exists()
    assert undo_last(scope(deck)) == "Nothing to undo."
