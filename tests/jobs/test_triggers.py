"""Plex session polling and the auto-run decision (skip reasons, dedupe)."""

from __future__ import annotations

import pytest

from jobs.models import JobRun, JobSetting, ProcessedItem, SeenSession
from jobs.triggers import Watch, auto_run
from jobs.triggers.poller import poll
from tests.jobs.factories import connect_plex

pytestmark = pytest.mark.django_db


def movie_key(plex, section=1, index=0) -> int:
    return plex.library.sections[section].top[index]


def episode_key(plex) -> tuple[int, int]:
    show = plex.library.items[plex.library.sections[2].top[0]]
    return plex.library.leaves(show)[0].rating_key, show.rating_key


def play(plex, account, key, ratio) -> int:
    duration = plex.library.items[key].duration_ms
    return plex.set_session(account, key, int(duration * ratio))


def watch(**changes) -> Watch:
    base = dict(account_id=2, library_key="1", kind="movie", seed_key="77", title="Heat",
                year=1995, duration_ms=7_000_000, source="webhook")
    return Watch(**base | changes)


@pytest.fixture
def polled(people, plex_double):
    connect_plex(plex_double)
    return plex_double


def test_poll_session_past_70_percent_queues_both_jobs(polled, django_capture_on_commit_callbacks):
    key = movie_key(polled)
    play(polled, 2, key, 0.75)

    with django_capture_on_commit_callbacks(execute=False):
        runs = poll()

    assert sorted((r.job, r.status, r.trigger) for r in runs) == [
        ("immaculate_taste", "queued", "auto"), ("latest_watched", "queued", "auto")]
    run = JobRun.objects.get(job="immaculate_taste")
    assert (run.viewer_account_id, run.viewer_name, run.library_key, run.media_type) == (
        2, "Bea", "1", "movie")
    assert run.seed["rating_key"] == str(key) and run.item_key == str(key)


def test_poll_session_between_thresholds_fires_latest_watched_only_once(polled):
    key = movie_key(polled)
    play(polled, 3, key, 0.65)

    first, second = poll(), poll()

    assert [r.job for r in first] == ["latest_watched"] and second == []


def test_poll_episode_seeds_with_the_show(polled):
    episode, show = episode_key(polled)
    play(polled, 2, episode, 0.95)

    runs = poll()

    run = next(r for r in runs if r.job == "immaculate_taste")
    # the seed is the show; the dedupe key is the watched episode (issue 9 item 13)
    assert (run.item_key, run.media_type, run.library_key) == (str(episode), "tv", "2")
    assert run.seed["rating_key"] == str(show)
    assert run.seed["title"] == polled.library.items[show].title


def test_poll_ended_session_judged_on_last_offset(polled):
    key = movie_key(polled)
    session = play(polled, 2, key, 0.5)
    poll()
    play(polled, 2, key, 0.72)
    SeenSession.objects.update(offset_ms=int(polled.library.items[key].duration_ms * 0.72))
    polled.end_session(session)

    runs = poll()

    assert sorted(r.job for r in runs) == ["immaculate_taste", "latest_watched"]
    assert not SeenSession.objects.exists()


def test_poll_plex_down_queues_nothing_and_logs(polled):
    play(polled, 2, movie_key(polled), 0.8)
    polled.down = True

    runs = poll()

    assert runs == [] and not JobRun.objects.exists()
    from jobs.models import LogLine

    assert LogLine.objects.filter(message__startswith="Plex session poll failed").exists()


def test_poll_without_plex_connected_does_nothing(people):
    assert poll() == []


def test_auto_run_unmonitored_viewer_skipped(people):
    run = auto_run("immaculate_taste", watch(account_id=4))

    assert (run.status, run.reason_code) == ("skipped", "viewer_not_monitored")


def test_auto_run_excluded_library_skipped(people):
    run = auto_run("immaculate_taste", watch(library_key="3"))

    assert (run.status, run.reason_code) == ("skipped", "library_excluded")


def test_auto_run_no_selected_tv_library_skipped(people):
    from vault.models import PlexLibrary

    PlexLibrary.objects.filter(kind="show").update(selected=False)

    run = auto_run("immaculate_taste", watch(library_key="2", kind="episode"))

    assert (run.status, run.reason_code) == ("skipped", "no_selected_tv_libraries")


def test_auto_run_no_selected_movie_library_skipped(people):
    from vault.models import PlexLibrary

    PlexLibrary.objects.filter(kind="movie").update(selected=False)

    run = auto_run("latest_watched", watch())

    assert (run.status, run.reason_code) == ("skipped", "no_selected_movie_libraries")


def test_auto_run_off_skipped(people):
    JobSetting.objects.create(job="immaculate_taste", auto_run=False)

    run = auto_run("immaculate_taste", watch())

    assert (run.status, run.reason_code) == ("skipped", "auto_run_off")


def test_auto_run_short_item_skipped(people):
    run = auto_run("immaculate_taste", watch(duration_ms=59_000))

    assert (run.status, run.reason_code) == ("skipped", "too_short")


def test_auto_run_processed_item_skipped(people):
    ProcessedItem.objects.create(job="immaculate_taste", viewer_account_id=2, library_key="1",
                                 item_key="77")

    run = auto_run("immaculate_taste", watch())

    assert (run.status, run.reason_code) == ("skipped", "already_processed")
    assert run.reason == "This watch was already processed by an earlier auto run."


def test_auto_run_same_watch_in_flight_not_queued_twice(people):
    first = auto_run("immaculate_taste", watch())

    second = auto_run("immaculate_taste", watch(source="poll"))

    assert first.status == "queued" and second is None
    assert JobRun.objects.count() == 1
