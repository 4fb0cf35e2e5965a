"""Approval: titles wait; approve sends exactly that one; reject and undo put things back."""

from __future__ import annotations

from django.utils import timezone

from recommendations.missing.approval import approve, reject, undo
from recommendations.missing.routing import Missing, Routing
from recommendations.missing.send import send_missing
from recommendations.models import ImmaculateTasteTitle, MissingSend, RejectedTitle

WAIT = Routing(fetch_missing=True, route="direct", approval=True, search_now=True)
TITLES = [Missing(1003, "Three", 2001), Missing(1005, "Five", 2003)]


def run(who, routing=WAIT):
    people, libs = who
    return send_missing(people["bea"], libs["1"], "movie", TITLES, "immaculate_taste",
                        routing, False)


def row(tmdb_id):
    return MissingSend.objects.get(tmdb_id=tmdb_id)


def test_approval_on_sends_nothing_and_titles_wait(arr, who):
    outcome = run(who)

    assert arr["radarr"].count("POST", r".*") == 0
    assert [ln["sentence"] for ln in outcome.lines] == [
        "Waiting for approval in the Observatory."] * 2
    assert set(MissingSend.objects.values_list("state", flat=True)) == {"awaiting_approval"}
    assert outcome.services["Radarr"]["detail"] == (
        "0 sent, 0 already there, 0 monitored again, 2 waiting for approval, 0 failed")
    assert run(who).lines == []


def test_approve_sends_exactly_that_title(arr, who):
    radarr = arr["radarr"]
    run(who)

    sent = approve(row(1003))

    assert sent.state == "sent"
    assert sent.added_by_us is True
    assert radarr.movie_by_tmdb(1003)["id"] == sent.service_id
    assert radarr.movie_by_tmdb(1005) is None
    assert radarr.count("POST", r"/api/v3/movie$") == 1
    assert radarr.count("POST", r"/api/v3/command$") == 0  # the add's searchForMovie
    [posted] = [r.json() for r in radarr.requests if r.method == "POST"
                and r.path == "/api/v3/movie"]
    assert (posted["tmdbId"], posted["addOptions"]) == (1003, {"searchForMovie": True})
    assert row(1005).state == "awaiting_approval"


def test_approve_with_radarr_down_leaves_it_to_send(arr, who):
    run(who)
    arr["radarr"].down = True

    waiting = approve(row(1003))

    assert waiting.state == "to_send"
    assert "Radarr" in waiting.reason
    assert waiting.attempts == 1


def test_reject_then_undo_restores_rejected_list_and_dataset(arr, who):
    people, libs = who
    now = timezone.now()
    ImmaculateTasteTitle.objects.create(
        viewer=people["bea"], library=libs["1"], media_type="movie", tmdb_id=1003,
        title="Three", year=2001, points=7, first_suggested_at=now, last_suggested_at=now)
    run(who)

    rejected = reject(row(1003))

    assert rejected.state == "rejected"
    assert RejectedTitle.objects.filter(viewer=people["bea"], tmdb_id=1003).count() == 1
    assert ImmaculateTasteTitle.objects.filter(tmdb_id=1003).count() == 0
    elsewhere = run(who, Routing(True, "overseerr", False, False))
    assert [ln["tmdb_id"] for ln in elsewhere.lines] == [1005]

    back = undo(row(1003))

    assert back.state == "awaiting_approval"
    assert RejectedTitle.objects.count() == 0
    restored = ImmaculateTasteTitle.objects.get(tmdb_id=1003)
    assert (restored.points, restored.title, restored.viewer_id) == (7, "Three",
                                                                     people["bea"].id)


def test_undo_after_approve_removes_the_movie_we_added(arr, who):
    radarr = arr["radarr"]
    run(who)
    sent = approve(row(1003))
    movie_id = sent.service_id

    back = undo(sent)

    assert back.state == "awaiting_approval"
    assert back.service_id is None
    assert radarr.movie_by_tmdb(1003) is None
    assert radarr.count("DELETE", rf"/api/v3/movie/{movie_id}$") == 1
