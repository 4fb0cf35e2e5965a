"""A viewer's watch, end to end on a real worker: Plex trigger → Immaculate Taste → dataset →
chained refresher → the viewer's row in the Plex double; the same watch again is skipped."""

from __future__ import annotations

import json
import time

import pytest

from jobs.models import FINISHED, JobRun, JobSetting
from jobs.schedules import POLL_TASK
from recommendations.models import ImmaculateTasteTitle
from tests.core.procs import wait_for
from tests.jobs import procs
from tests.jobs.test_jobdefs import a_seed, collections

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]
ROW = "Inspired by your Immaculate Taste (Bea)"
POLL_EVERY = 2


def only_the_poller(seconds: int) -> None:
    from django_celery_beat.models import IntervalSchedule, PeriodicTask

    every, _ = IntervalSchedule.objects.get_or_create(every=seconds,
                                                      period=IntervalSchedule.SECONDS)
    PeriodicTask.objects.filter(name=POLL_TASK).update(interval=every, enabled=True)
    PeriodicTask.objects.exclude(name=POLL_TASK).update(enabled=False)


def taste_runs(**filters):
    return JobRun.objects.filter(job="immaculate_taste", **filters).order_by("pk")


def finished(run: JobRun, timeout: float = 60) -> JobRun:
    done, _ = procs.wait_status(run.pk, FINISHED, timeout=timeout)
    assert done, f"run #{run.pk} did not finish"
    return done


def refresher_of(run: JobRun, worker) -> JobRun:
    child = wait_for(lambda: run.children.first(), timeout=10, every=0.2)
    assert child, procs.tail(worker)
    return finished(child)


def bea_dataset() -> dict[int, int | None]:
    return dict(ImmaculateTasteTitle.objects.filter(viewer__account_id=2, library__key="1")
                .values_list("tmdb_id", "rating_key"))


def assert_picks_reached_the_row(run: JobRun, child: JobRun, plex, worker) -> None:
    assert run.status == "succeeded", (run.reason, procs.tail(worker))
    picks = bea_dataset()
    assert len(picks) == len(run.report["lists"][0]["items"]) > 0
    assert (child.job, child.trigger, child.status) == (
        "immaculate_taste_refresher", "chained", "succeeded"), child.reason
    assert (child.viewer_account_id, child.library_key) == (2, "1")
    in_plex = {key for key in picks.values() if key is not None}
    assert in_plex and set(collections(plex)[ROW]) == in_plex


def test_worker_poll_at_75_percent_runs_taste_fills_rows_chains_refresher_repeat_skipped(
        stack, tmp_path):
    plex = stack["plex"]
    JobSetting.objects.create(job="latest_watched", auto_run=False)  # one job under test
    only_the_poller(POLL_EVERY)
    seed = a_seed(stack)
    duration = plex.library.items[seed.rating_key].duration_ms
    assert ROW not in collections(plex)
    with procs.processes() as started:
        worker = procs.start_worker("taste", tmp_path, TMDB_BASE_URL=stack["tmdb"].base)
        started += [worker, procs.start_beat(tmp_path)]
        assert wait_for(lambda: plex.count("GET", r"^/status/sessions$") > 0, timeout=30), \
            procs.tail(started[1])

        session = plex.set_session(2, seed.rating_key, int(duration * 0.75))
        set_at = time.monotonic()
        run = wait_for(lambda: taste_runs().first(), timeout=15, every=0.1)
        noticed_in = time.monotonic() - set_at
        run, child = finished(run), refresher_of(run, worker)

        plex.end_session(session)
        plex.set_session(2, seed.rating_key, int(duration * 0.8))  # the same watch again
        repeat = wait_for(lambda: taste_runs(pk__gt=child.pk).first(), timeout=15, every=0.2)

    assert noticed_in <= POLL_EVERY + 1.5, noticed_in
    assert (run.trigger, run.item_key, run.seed["source"]) == ("auto", str(seed.rating_key),
                                                               "poll")
    assert_picks_reached_the_row(run, child, plex, worker)
    assert repeat and (repeat.status, repeat.reason_code) == ("skipped", "already_processed")
    assert taste_runs(status="succeeded").count() == 1


def scrobble(item, **changes) -> str:
    meta = {"librarySectionID": 1, "type": "movie", "ratingKey": str(item.rating_key),
            "title": item.title, "year": item.year, "duration": 6_000_000,
            "viewOffset": 5_700_000} | changes
    return json.dumps({"event": "media.scrobble", "user": True, "owner": False,
                       "Account": {"id": 2, "title": "Bea"}, "Metadata": meta})


def test_worker_webhook_scrobble_runs_taste_fills_rows_chains_refresher_repeat_skipped(
        stack, client, tmp_path):
    from jobs.triggers import webhook as hooks

    plex, url = stack["plex"], f"/webhooks/plex?token={hooks.token()}"
    seed = a_seed(stack)
    with procs.processes() as started:
        worker = procs.start_worker("hook", tmp_path, TMDB_BASE_URL=stack["tmdb"].base)
        started.append(worker)

        accepted = client.post(url, {"payload": scrobble(seed)}).json()
        run = finished(taste_runs().get())
        child = refresher_of(run, worker)
        duplicate = client.post(url, {"payload": scrobble(seed)}).json()
        again = client.post(url, {"payload": scrobble(seed, viewOffset=5_800_000)}).json()

    assert accepted["runs"] == [{"id": run.pk, "job": "immaculate_taste", "status": "queued",
                                 "reason": ""}]
    assert (run.trigger, run.seed["source"]) == ("auto", "webhook")
    assert_picks_reached_the_row(run, child, plex, worker)
    assert duplicate["duplicate"] is True and "runs" not in duplicate
    assert [(r["status"], r["reason"]) for r in again["runs"]] == [("skipped",
                                                                    "already_processed")]
    assert taste_runs(status="succeeded").count() == 1
