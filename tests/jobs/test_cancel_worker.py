"""Must-show 6 on a real worker: the Immaculate Taste Refresher sweeps Bea's and Cy's movies;
while Plex (the double) holds Bea's first row write, Cancel is pressed. Bea's rows step still
ends (Plex accepted the rows, so her activation is applied with them), the run stops on
entering the next step, ends cancelled within that one step, frees every lock, and Cy's
dataset and rows stay untouched: nothing is half-written."""

from __future__ import annotations

import threading
import time

import pytest
from django.utils import timezone

from jobs import runner
from jobs.dispatch import dispatch
from jobs.models import FINISHED, ScopeLock, Trigger
from recommendations.models import ImmaculateTasteTitle
from recommendations.rows import lock as rows_lock
from tests.jobs import procs
from tests.jobs.test_jobdefs import collections
from vault.models import PlexItem

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]
HOLD_S = 3


def pending_in_plex(viewer, library, items) -> None:
    now = timezone.now()
    for item in items:
        ImmaculateTasteTitle.objects.create(
            viewer=viewer, library=library, media_type="movie", tmdb_id=item.tmdb_id,
            title=item.title, first_suggested_at=now, last_suggested_at=now)


def hold_first_collection_write(plex, seconds: float) -> threading.Event:
    """The double answers its first write under /library/collections `seconds` late."""
    arrived, answer = threading.Event(), plex.dispatch

    def slow(req):
        if req.method in ("POST", "PUT") and req.path.startswith("/library/collections") \
                and not arrived.is_set():
            arrived.set()
            time.sleep(seconds)
        return answer(req)

    plex.dispatch = slow
    return arrived


def dataset(viewer) -> dict[int, tuple]:
    return {r.tmdb_id: (r.status, r.rating_key) for r in
            ImmaculateTasteTitle.objects.filter(viewer=viewer)}


def test_cancel_mid_sweep_on_real_worker_stops_at_next_step_consistent_locks_free(
        stack, tmp_path):
    plex, viewers, movies = stack["plex"], stack["viewers"], stack["libraries"]["1"]
    items = list(PlexItem.objects.filter(library=movies, tmdb_id__isnull=False)
                 .order_by("rating_key")[:6])
    pending_in_plex(viewers["bea"], movies, items[:3])
    pending_in_plex(viewers["cy"], movies, items[3:])
    cy_before, rows_before = dataset(viewers["cy"]), collections(plex)
    arrived = hold_first_collection_write(plex, HOLD_S)

    with procs.processes() as started:
        worker = procs.start_worker("cancel", tmp_path)
        started.append(worker)
        run = dispatch("immaculate_taste_refresher", trigger=Trigger.MANUAL)
        assert arrived.wait(30), procs.tail(worker)  # Bea's rows are being written
        assert runner.request_cancel(run.pk, by="ava") == (
            "Cancelling: the worker stops this run at its next step.")
        asked = time.monotonic()
        done, _ = procs.wait_status(run.pk, FINISHED, timeout=30)
        took = time.monotonic() - asked

    assert done, procs.tail(worker)
    assert done.status == "cancelled", (done.status, done.reason, procs.tail(worker))
    assert took < HOLD_S + 5, took  # the held write, then one step boundary
    assert done.reason.startswith("Cancelled on request before the step “activate pending")
    steps = [(s["name"], s["status"]) for s in done.report["steps"]]
    assert ("rows", "ok") in steps and steps[-1][1] == "ok", steps
    assert not [s for s in steps if s[1] in ("running", "failed")], steps

    # Bea: Plex accepted her rows, so her activation was applied with them.
    bea = dataset(viewers["bea"])
    assert {status for status, _ in bea.values()} == {"active"}
    row = [t for t in collections(plex) if "(Bea)" in t and "Immaculate" in t]
    assert row and set(collections(plex)[row[0]]) == {key for _, key in bea.values()}
    # Cy: never reached, as before.
    assert dataset(viewers["cy"]) == cy_before
    assert not [t for t in collections(plex) if "(Cy)" in t and t not in rows_before]
    # Every lock is free: scope locks and the rows locks.
    assert ScopeLock.objects.count() == 0
    assert all(rows_lock.holder_of(v, lib) == "" for v in viewers.values()
               for lib in stack["libraries"].values())
    assert not done.children.exists()  # nothing chained from a cancelled run
    print(f"cancelled {took:.1f} s after Cancel (write held {HOLD_S} s); steps {steps}; "
          f"{done.reason}")
