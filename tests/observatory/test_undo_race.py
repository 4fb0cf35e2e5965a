"""Undo while the apply is running: before the send begins nothing is sent; while it is on
its way the undo says plainly what it cannot take back, and after it the title waits for
approval again only if Radarr did not take it. Z walks back several decisions in turn."""

from __future__ import annotations

import pytest

from observatory import apply
from observatory.deck.cards import Scope, next_deck
from observatory.deck.decide import decide, undo_last
from observatory.models import Decision
from recommendations.missing import approval
from recommendations.models import MissingSend, RejectedTitle

pytestmark = pytest.mark.django_db


def scope(deck):
    return Scope(deck["bea"], deck["movies"])


def undo_during_send(monkeypatch, deck, radarr_down=False) -> list:
    """Z pressed while the apply's send to Radarr is on its way (the real send follows)."""
    real, said = approval.approve, []

    def approve(send):
        said.append(undo_last(scope(deck)))
        deck["radarr"].down = radarr_down
        return real(send)

    monkeypatch.setattr(approval, "approve", approve)
    return said


def test_undo_while_radarr_takes_it_says_radarr_keeps_it(deck, arr, syncs, enqueued,
                                                         monkeypatch):
    deck["radarr"] = arr["radarr"]
    said = undo_during_send(monkeypatch, deck)
    decide(scope(deck), 1003, "approve")

    report = apply.apply_decisions(deck["bea"], deck["movies"])

    assert said == ["Undone here, but Title 1003 was already on its way to Radarr: if Radarr "
                    "takes it, remove it there; if not, it waits for approval again"]
    assert report["sent"] == 1
    assert arr["radarr"].movie_by_tmdb(1003) is not None
    assert MissingSend.objects.get(tmdb_id=1003).state == "sent"
    assert Decision.objects.get().undone is True
    assert next_deck(scope(deck)).cards[0].tmdb_id == 1005  # Radarr has it: no card again


def test_undo_while_radarr_is_down_waits_for_approval_again(deck, arr, syncs, enqueued,
                                                            monkeypatch):
    deck["radarr"] = arr["radarr"]
    undo_during_send(monkeypatch, deck, radarr_down=True)
    decide(scope(deck), 1003, "approve")

    apply.apply_decisions(deck["bea"], deck["movies"])

    assert arr["radarr"].count("POST", r"/api/v3/movie$") == 0
    assert MissingSend.objects.get(tmdb_id=1003).state == "awaiting_approval"
    assert next_deck(scope(deck)).cards[0].tmdb_id == 1003


def test_undo_after_the_claim_before_the_send_sends_nothing(deck, arr, syncs, enqueued,
                                                            monkeypatch):
    said, real = [], apply.send_approved

    def claimed_then_undone(decision):
        said.append(undo_last(scope(deck)))
        return real(decision)

    monkeypatch.setattr(apply, "send_approved", claimed_then_undone)
    decide(scope(deck), 1003, "approve")

    report = apply.apply_decisions(deck["bea"], deck["movies"])

    assert said == ["Undone: Title 1003 is waiting for approval again"]
    assert report["sent"] == 0
    assert arr["radarr"].count("POST", r".*") == 0
    assert MissingSend.objects.get(tmdb_id=1003).state == "awaiting_approval"
    assert next_deck(scope(deck)).cards[0].tmdb_id == 1003


def test_z_walks_back_several_decisions_newest_first(deck, arr, syncs, enqueued):
    s = scope(deck)
    for tmdb_id, action in [(1003, "approve"), (1005, "reject"), (1007, "keep"),
                            (1010, "remove")]:
        decide(s, tmdb_id, action)

    said = [undo_last(s) for _ in range(5)]

    assert said == ["Undone: Title 1010 is back in the dataset",
                    "Undone: Title 1007 is on the deck again",
                    "Undone: Title 1005 is waiting for approval again",
                    "Undone: Title 1003 is waiting for approval again", "Nothing to undo."]
    assert next_deck(s).cards[0].tmdb_id == 1003
    assert not RejectedTitle.objects.exists()
    assert set(MissingSend.objects.values_list("state", flat=True)) == {"awaiting_approval"}
