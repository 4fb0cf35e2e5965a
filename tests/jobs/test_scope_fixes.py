"""Issue 9 items 9, 10, 11, 13 and the retry part of 19: scopes, removed libraries and viewers,
the narrowed scope lock, per-watch dedupe, retried time limits."""

from __future__ import annotations

import pytest
from django.urls import reverse

from jobs import locks, runner, scoping
from jobs.context import Scope
from jobs.dispatch import dispatch
from jobs.models import JobRun, ProcessedItem, Status, Trigger
from jobs.registry import job
from jobs.triggers import Watch, auto_run

pytestmark = pytest.mark.django_db
SWEPT: list[tuple[int, str]] = []


@pytest.fixture
def sweeper_job(demo_jobs, people):
    SWEPT.clear()

    @job("demo_sweep", "Demo sweep")
    def demo_sweep(ctx):
        def work(ctx, viewer, library, scope):
            SWEPT.append((viewer.account_id, library.key))
            return {}

        scoping.for_each_scope(ctx, ("movie", "tv"), work)

    return people


# item 9 --------------------------------------------------------------------------------------
def test_viewer_only_scope_sweeps_only_that_viewers_libraries(sweeper_job):
    run = dispatch("demo_sweep", scope=Scope(viewer_account_id=2, viewer_name="Bea"),
                   enqueue_now=False)

    runner.execute(run.pk, sync=True)

    assert JobRun.objects.get(pk=run.pk).status == Status.SUCCEEDED
    assert sorted(SWEPT) == [(2, "1"), (2, "2")]


def test_library_only_scope_sweeps_every_viewer_of_it(sweeper_job):
    run = dispatch("demo_sweep", scope=Scope(library_key="2", library_title="TV Shows"),
                   enqueue_now=False)

    runner.execute(run.pk, sync=True)

    assert JobRun.objects.get(pk=run.pk).status == Status.SUCCEEDED
    assert sorted(SWEPT) == [(1, "2"), (2, "2"), (3, "2")]


# item 10 -------------------------------------------------------------------------------------
def test_removed_library_and_departed_viewer_are_not_swept(sweeper_job):
    viewers, libraries = sweeper_job
    libraries["2"].present = False
    libraries["2"].save()
    viewers["cy"].present = False
    viewers["cy"].save()
    run = dispatch("demo_sweep", enqueue_now=False)

    runner.execute(run.pk, sync=True)

    assert JobRun.objects.get(pk=run.pk).status == Status.SUCCEEDED
    assert sorted(SWEPT) == [(1, "1"), (2, "1")]


def test_targeted_run_on_removed_library_is_skipped_and_writes_nothing(sweeper_job):
    _, libraries = sweeper_job
    libraries["2"].present = False
    libraries["2"].save()
    run = dispatch("demo_sweep", scope=Scope(2, "Bea", "2", "TV Shows", "tv"), enqueue_now=False)

    runner.execute(run.pk, sync=True)

    run.refresh_from_db()
    assert (run.status, run.reason_code) == (Status.SKIPPED, "library_removed")
    assert SWEPT == []


def test_targeted_run_for_departed_viewer_is_skipped(sweeper_job):
    viewers, _ = sweeper_job
    viewers["cy"].present = False
    viewers["cy"].save()
    run = dispatch("demo_sweep", scope=Scope(3, "Cy", "1", "Movies", "movie"), enqueue_now=False)

    runner.execute(run.pk, sync=True)

    run.refresh_from_db()
    assert (run.status, run.reason_code) == (Status.SKIPPED, "viewer_removed")
    assert SWEPT == []


def test_command_center_shows_removed_libraries_and_viewers(people, admin_client):
    viewers, libraries = people
    libraries["2"].present = False
    libraries["2"].save()
    viewers["cy"].present = False
    viewers["cy"].save()

    libs = admin_client.get(reverse("vault:cc_libraries")).content.decode()
    who = admin_client.get(reverse("vault:cc_viewers")).content.decode()

    assert "Removed from Plex" in libs and "TV Shows" in libs
    assert f'value="{libraries["2"].pk}"' not in libs  # not a checkbox any more
    assert "Left the server" in who and "Cy" in who
    assert f'value="{viewers["cy"].pk}"' not in who


# item 11 -------------------------------------------------------------------------------------
BODY_RAN: list[int] = []


@pytest.fixture
def narrowing_job(demo_jobs, people):
    BODY_RAN.clear()

    @job("demo_narrow", "Demo narrow")
    def demo_narrow(ctx):
        ctx.narrow(Scope(1, "Ava Owner", "1", "Movies", "movie"))
        BODY_RAN.append(ctx.run.pk)

    return people


def test_seeded_run_waits_for_the_narrowed_scope_lock(narrowing_job, settings):
    settings.JOBS_LOCK_MAX_WAITS = 1
    auto = dispatch("demo_narrow", trigger=Trigger.AUTO, scope=Scope(1, "Ava", "1", "Movies"),
                    enqueue_now=False)
    token = locks.acquire(locks.scope_key("demo_narrow", 1, "1"), auto)
    JobRun.objects.filter(pk=auto.pk).update(status=Status.RUNNING)
    manual = dispatch("demo_narrow", seed={"title": "Heat", "rating_key": "5"},
                      enqueue_now=False)

    first = runner.execute(manual.pk)

    manual.refresh_from_db()
    assert (first.status, first.retry_in is not None, manual.status) == ("queued", True, "queued")
    assert BODY_RAN == []
    assert not JobRun.objects.filter(pk=manual.pk).first().lock_waits == 0

    second = runner.execute(manual.pk)

    manual.refresh_from_db()
    assert (second.status, manual.reason_code) == ("skipped", "scope_busy")
    assert BODY_RAN == []
    locks.release(locks.scope_key("demo_narrow", 1, "1"), token)
    third = dispatch("demo_narrow", seed={"title": "Heat", "rating_key": "5"}, enqueue_now=False)
    assert runner.execute(third.pk).status == "succeeded"
    assert BODY_RAN == [third.pk]
    assert not locks.ScopeLock.objects.exists()


def test_narrowed_lock_held_while_the_run_goes_on(narrowing_job):
    held = []

    @job("demo_narrow_peek", "Demo narrow peek")
    def peek(ctx):
        ctx.narrow(Scope(1, "Ava Owner", "1", "Movies", "movie"))
        held.append(locks.acquire(locks.scope_key("demo_narrow_peek", 1, "1")))

    run = dispatch("demo_narrow_peek", seed={"title": "Heat"}, enqueue_now=False)

    runner.execute(run.pk, sync=True)

    assert held == [None]


# item 13 -------------------------------------------------------------------------------------
def episode(ep: str) -> Watch:
    return Watch(account_id=2, library_key="2", kind="episode", seed_key="900", title="Show",
                 year=2001, duration_ms=2_400_000, source="poll", watched_key=ep)


def test_second_episode_of_a_processed_show_still_runs(demo_jobs, people):
    first = auto_run("demo_ok", episode("901"))
    runner.execute(first.pk, sync=True)
    assert JobRun.objects.get(pk=first.pk).status == Status.SUCCEEDED
    assert first.seed["rating_key"] == "900"

    second = auto_run("demo_ok", episode("902"))

    assert second.status == Status.QUEUED
    runner.execute(second.pk, sync=True)
    assert JobRun.objects.get(pk=second.pk).status == Status.SUCCEEDED
    assert set(ProcessedItem.objects.values_list("item_key", flat=True)) == {"901", "902"}
    again = auto_run("demo_ok", episode("901"))
    assert (again.status, again.reason_code) == (Status.SKIPPED, "already_processed")


def test_rewatch_of_a_movie_stays_deduped(demo_jobs, people):
    movie = Watch(account_id=2, library_key="1", kind="movie", seed_key="77", title="Heat",
                  year=1995, duration_ms=7_000_000, source="webhook")
    runner.execute(auto_run("demo_ok", movie).pk, sync=True)

    again = auto_run("demo_ok", movie)

    assert (again.status, again.reason_code) == (Status.SKIPPED, "already_processed")


def test_poll_and_webhook_watches_carry_the_episode(people):
    from jobs.triggers.webhook import watch_of

    payload = {"event": "media.scrobble", "Account": {"id": 2},
               "Metadata": {"type": "episode", "ratingKey": "901", "librarySectionID": "2",
                            "grandparentRatingKey": "900", "grandparentTitle": "Show"}}

    found = watch_of(payload)

    assert (found.seed_key, found.item_key) == ("900", "901")


# item 19 (retries keep their time limits) ----------------------------------------------------
def test_retried_task_keeps_its_time_limits(demo_jobs, people, monkeypatch):
    from celery import current_app

    from jobs import conf, tasks
    from jobs.registry import REGISTRY

    sent = []
    monkeypatch.setattr(current_app, "send_task", lambda name, **kw: sent.append(kw))
    other = dispatch("demo_ok", scope=Scope(2, "Bea", "1", "Movies"), enqueue_now=False)
    JobRun.objects.filter(pk=other.pk).update(status=Status.RUNNING)
    locks.acquire(locks.scope_key("demo_ok", 2, "1"), other)
    run = dispatch("demo_ok", scope=Scope(2, "Bea", "1", "Movies"), enqueue_now=False)

    tasks.run_job.run(run.pk)

    limit = REGISTRY["demo_ok"].time_limit
    assert len(sent) == 1
    assert (sent[0]["soft_time_limit"], sent[0]["time_limit"]) == (limit, limit + 60)
    assert sent[0]["countdown"] == conf.get("JOBS_LOCK_WAIT_SECONDS")


def test_seeded_run_for_departed_viewer_skips_before_narrowing(people):
    """collection_scope (the seeded jobs' scope) skips a viewer who left the server."""
    from types import SimpleNamespace

    from jobs.definitions.steps import collection_scope
    from jobs.errors import JobSkipped

    viewers, _ = people
    viewers["cy"].present = False
    viewers["cy"].save()
    narrowed = []
    ctx = SimpleNamespace(scope=Scope(3, "Cy", "1", "Movies", "movie"), seed={"title": "X"},
                          narrow=narrowed.append)

    with pytest.raises(JobSkipped) as skipped:
        collection_scope(ctx)

    assert skipped.value.code == "viewer_removed"
    assert narrowed == []
