"""A burst of decisions enqueues one apply, which makes one send batch and one row sync."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from observatory import tasks
from observatory.deck.cards import Scope
from observatory.deck.decide import decide
from recommendations.models import MissingSend
from tests.observatory.conftest import titles, waiting

pytestmark = pytest.mark.django_db


def test_thirty_decisions_enqueue_one_apply_and_one_row_sync(who, arr, syncs, enqueued,
                                                            django_capture_on_commit_callbacks):
    people, libs = who
    ids = list(range(1001, 1031))
    titles(people, libs, ids)
    waiting(people, libs, ids[:10])
    scope = Scope(people["bea"], libs["1"])

    with django_capture_on_commit_callbacks(execute=True):
        for i, tmdb_id in enumerate(ids):
            action = ("approve", "reject")[i % 2] if i < 10 else ("keep", "remove")[i % 2]
            decide(scope, tmdb_id, action)

    assert enqueued == [({"viewer_id": people["bea"].pk, "library_id": libs["1"].pk,
                          "debounce": 20}, 20)]
    cache.delete(tasks.keys(people["bea"].pk, libs["1"].pk)[1])  # the burst is over
    report = tasks.apply_decisions.run(viewer_id=people["bea"].pk, library_id=libs["1"].pk)

    assert report == {"applied": 30, "sent": 5, "rows_synced": True, "rows_ok": True}
    assert syncs == [("Bea", "Movies")]
    approved = MissingSend.objects.filter(tmdb_id__in=ids[:10:2])
    assert not approved.filter(state="awaiting_approval").exists()
    assert set(MissingSend.objects.filter(tmdb_id__in=ids[1:10:2])
               .values_list("state", flat=True)) == {"rejected"}


def test_an_apply_during_the_burst_waits_for_its_end(who, enqueued):
    people, libs = who
    viewer_id, library_id = people["bea"].pk, libs["1"].pk
    tasks.schedule(viewer_id, library_id)

    task = tasks.apply_decisions
    task.push_request(is_eager=False, id="abc")
    try:
        assert task.run(viewer_id=viewer_id, library_id=library_id) is None
    finally:
        task.pop_request()

    [(kwargs, countdown)] = enqueued
    assert kwargs == {"viewer_id": viewer_id, "library_id": library_id, "debounce": 20,
                      "resync": False}
    assert 18 < countdown <= 20


def test_after_an_apply_the_next_decision_enqueues_again(who, enqueued, syncs,
                                                         django_capture_on_commit_callbacks):
    people, libs = who
    viewer_id, library_id = people["bea"].pk, libs["1"].pk
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.schedule(viewer_id, library_id) is True
        assert tasks.schedule(viewer_id, library_id) is False
    cache.delete(tasks.keys(viewer_id, library_id)[1])
    tasks.apply_decisions.run(viewer_id=viewer_id, library_id=library_id)

    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.schedule(viewer_id, library_id) is True
    assert len(enqueued) == 2
