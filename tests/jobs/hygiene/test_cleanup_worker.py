"""Issue 14's must-shows 1 and 2 for Cleanup After Adding New Content, on a real Celery worker
against the doubles (tests.fakes.suite.start_all, the doubles `python -m tests.fakes` runs),
with default settings: deletion off."""

from __future__ import annotations

import pytest
from django.urls import reverse

from jobs.models import FINISHED, JobRun
from jobs.schedules import RECENT_TASK
from jobs.triggers import recent
from jobs.triggers import webhook as hooks
from tests.fakes.plex.library import KIDS
from tests.jobs import procs
from tests.jobs.hygiene.conftest import writes
from tests.jobs.hygiene.support import (
    JOB,
    duplicate_into_kids,
    groups_of,
    library_new,
    movie_only_in_movies,
    radarr_monitors,
)
from vault.clients.factory import plex_server
from vault.mirror import reader

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]
DELETES = "DELETE"


@pytest.fixture(scope="module")
def one_worker(fakes, django_db_setup, django_db_blocker, tmp_path_factory):
    """One worker for the module (it reads the test database live)."""
    with django_db_blocker.unblock(), procs.processes() as started:
        started.append(procs.start_worker("cleanup", tmp_path_factory.mktemp("worker"),
                                          TMDB_BASE_URL=fakes.tmdb.base,
                                          PLEX_TV_URL=fakes.plextv.url))
        yield started[0]


@pytest.fixture
def worker(vaulted, one_worker):
    reader.refresh(plex_server())
    vaulted.clear()
    return one_worker


def finished(run: JobRun, worker) -> JobRun:
    done, status = procs.wait_status(run.pk, FINISHED, timeout=60)
    assert done, (status, procs.tail(worker))
    run.refresh_from_db()
    return run


def no_deletes(fakes) -> None:
    assert [writes(d, DELETES) for d in (fakes.plex, fakes.radarr, fakes.sonarr)] == [[], [],
                                                                                       []]
    assert fakes.plex.deleted_media == []


def test_library_new_webhook_runs_one_scoped_cleanup(vaulted, worker, client):
    """Must-show 1."""
    title, original, copy = duplicate_into_kids(vaulted, 5, resolution="4k", hdr="HDR10",
                                                suffix=" - 4K")
    radarr_monitors(vaulted, title)

    url = f"{reverse('jobs:plex_webhook')}?token={hooks.token()}"
    answer = client.post(url, {"payload": library_new(copy, KIDS, title.title)})

    assert answer.status_code == 202, answer.content
    [run] = JobRun.objects.filter(job=JOB)
    assert answer.json()["runs"] == [{"id": run.pk, "job": JOB, "status": "queued",
                                      "reason": ""}]
    run = finished(run, worker)
    assert run.status == "succeeded", (run.reason, procs.tail(worker))
    assert (run.item_key, run.library_key, run.seed["rating_keys"]) == (str(copy), str(KIDS),
                                                                        [copy])
    group = groups_of(run)[f"{title.title} ({title.year})"]
    assert (group["kept"]["rating_key"], group["kept"]["file"].endswith(" - 4K.mkv")) == (
        original, True)
    assert group["why"].startswith("Kept: higher resolution than the next best (4K · HDR10")
    assert vaulted.radarr.movie_by_tmdb(title.tmdb_id)["monitored"] is False
    no_deletes(vaulted)
    # the same webhook again within 30 s is dropped; no second run
    again = client.post(url, {"payload": library_new(copy, KIDS, title.title)})
    assert again.json().get("duplicate") is True
    assert JobRun.objects.filter(job=JOB).count() == 1


def test_recently_added_check_without_webhooks(vaulted, worker, settings):
    """Must-show 2: the run starts within two checks; ten items at once make one run."""
    from django_celery_beat.models import PeriodicTask

    beat = PeriodicTask.objects.get(name=RECENT_TASK)
    assert (beat.interval.every, beat.interval.period) == (60, "seconds")
    settings.JOBS_RECENT_DEBOUNCE_SECONDS = 120
    assert recent.check() is None  # the first check only notes what is there
    title, original, copy = duplicate_into_kids(vaulted, 6, resolution="4k")
    radarr_monitors(vaulted, title)

    checks = [recent.check(), recent.check()]

    assert checks[0] is None and checks[1] is not None
    run = finished(checks[1], worker)
    assert run.status == "succeeded", (run.reason, procs.tail(worker))
    assert (run.seed["rating_keys"], run.item_key) == ([copy], str(copy))
    assert groups_of(run)[f"{title.title} ({title.year})"]["kept"]["rating_key"] == original
    assert vaulted.radarr.movie_by_tmdb(title.tmdb_id)["monitored"] is False

    ten = [movie_only_in_movies(vaulted, n) for n in range(10, 20)]
    keys = [vaulted.plex.add_item(KIDS, t) for t in ten]
    before = JobRun.objects.filter(job=JOB).count()
    assert recent.check() is None
    burst = recent.check()
    assert burst is not None and recent.check() is None
    assert JobRun.objects.filter(job=JOB).count() == before + 1
    burst = finished(burst, worker)
    assert burst.status == "succeeded", (burst.reason, procs.tail(worker))
    assert sorted(burst.seed["rating_keys"]) == sorted(keys)
    assert {f"{t.title} ({t.year})" for t in ten} <= set(groups_of(burst))
    no_deletes(vaulted)
