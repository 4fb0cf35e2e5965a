"""Import Plex History against the Plex and TMDB doubles: every monitored viewer's recent
watches become Immaculate Taste seeds and rows, a second import skips what the first did, the
run's TMDB budget bounds the whole import, and skips say why in sentences."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from jobs import runner
from jobs.dispatch import dispatch
from jobs.models import JobRun, ProcessedItem
from recommendations.models import (
    ImmaculateTasteTitle,
    LatestWatchedTitle,
    RecommendationSettings,
    TmdbCacheEntry,
)
from tests.jobs.test_jobdefs import collections
from vault.models import PlexItem, PlexViewer

pytestmark = pytest.mark.django_db


def movies(n: int, skip: int = 0) -> list[PlexItem]:
    return list(PlexItem.objects.filter(library__key="1", kind="movie", tmdb_id__isnull=False)
                .order_by("rating_key")[skip:skip + n])


def watch(stack, account_id: int, items, start: int = 1_700_000_000) -> None:
    for n, item in enumerate(items):
        stack["plex"].add_history(account_id, item.rating_key, viewed_at=start + n * 60)


def import_history(dry_run: bool = False) -> JobRun:
    run = dispatch("history_import", dry_run=dry_run, enqueue_now=False)
    runner.execute(run.pk, sync=True)
    run.refresh_from_db()
    return run


def test_every_monitored_viewer_gets_rows_and_a_second_import_skips_what_the_first_did(
        stack, settings):
    settings.HISTORY_IMPORT_TITLES = 3
    watch(stack, 1, movies(4))
    watch(stack, 2, movies(2, skip=10))
    watch(stack, 3, movies(1, skip=20))
    watch(stack, 4, movies(2, skip=30))  # Kiddo is not monitored

    run = import_history()

    assert run.status == "succeeded", (run.reason, run.report["scopes"])
    rows = collections(stack["plex"])
    for name in ("Ava Owner", "Bea", "Cy"):
        assert rows.get(f"Inspired by your Immaculate Taste ({name})"), sorted(rows)
        assert f"Based on your recently watched movie ({name})" in rows
    assert not any("Kiddo" in title for title in rows)
    taste = ProcessedItem.objects.filter(job="immaculate_taste")
    # Ava's newest three of four, Bea's two, Cy's one; the TV library has no history
    assert sorted(taste.values_list("viewer_account_id", flat=True)) == [1, 1, 1, 2, 2, 3]
    newest_of_ava = str(movies(4)[3].rating_key)
    assert taste.filter(viewer_account_id=1, item_key=newest_of_ava).exists()
    assert not taste.filter(viewer_account_id=1, item_key=str(movies(4)[0].rating_key)).exists()
    assert ProcessedItem.objects.filter(job="latest_watched").count() == 3
    assert run.report["summary"].startswith("Imported 6 seeds from the Plex history of "
                                            "Ava Owner, Bea, Cy.")
    tv = [s for s in run.report["scopes"] if "TV Shows" in s["scope"]]
    assert {s["status"] for s in tv} == {"skipped"}
    assert "has no watch history in TV Shows yet." in tv[0]["reason"]

    points = dict(ImmaculateTasteTitle.objects.values_list("pk", "points"))
    latest = LatestWatchedTitle.objects.count()
    stack["tmdb"].clear()
    again = import_history()

    assert again.status == "skipped", again.reason
    assert "All 3 recent titles of Ava Owner in Movies were imported before." in again.reason
    assert stack["tmdb"].count() == 0
    assert ProcessedItem.objects.filter(job="immaculate_taste").count() == 6
    assert dict(ImmaculateTasteTitle.objects.values_list("pk", "points")) == points
    assert LatestWatchedTitle.objects.count() == latest


def test_a_new_watch_after_the_import_is_the_only_seed_of_the_next_one(stack, settings):
    settings.HISTORY_IMPORT_TITLES = 2
    watch(stack, 2, movies(2))
    assert import_history().status == "succeeded"
    later = movies(1, skip=40)
    watch(stack, 2, later, start=1_800_000_000)

    run = import_history()

    assert run.status == "succeeded", run.reason
    done = ProcessedItem.objects.filter(job="immaculate_taste", run=run)
    assert list(done.values_list("item_key", flat=True)) == [str(later[0].rating_key)]
    assert "1 imported before were skipped" in run.report["summary"]


def test_the_runs_tmdb_budget_bounds_the_whole_import_and_the_next_run_goes_on(stack,
                                                                              settings):
    settings.HISTORY_IMPORT_TITLES = 10
    RecommendationSettings.objects.update_or_create(pk=1, defaults={"tmdb_request_budget": 10})
    for viewer in (1, 2, 3):
        watch(stack, viewer, movies(5, skip=viewer * 10))
    TmdbCacheEntry.objects.all().delete()
    stack["tmdb"].clear()

    run = import_history()

    assert stack["tmdb"].count() <= 10
    first = ProcessedItem.objects.filter(job="immaculate_taste").count()
    assert 0 < first < 15
    assert "The TMDB budget of 10 requests was spent with" in run.report["summary"]
    assert "import again to go on" in run.report["summary"]
    stack["tmdb"].clear()

    import_history()

    assert stack["tmdb"].count() <= 10
    assert ProcessedItem.objects.filter(job="immaculate_taste").count() > first


def test_skips_say_why_in_sentences(stack):
    run = import_history()
    assert (run.status, run.reason_code) == ("skipped", "no_history")
    assert run.reason.startswith("No monitored viewer has watched anything")

    PlexViewer.objects.update(monitored=False)
    run = import_history()
    assert (run.status, run.reason_code) == ("skipped", "no_monitored_viewers")
    assert "choose whose history counts" in run.reason


def test_dry_run_from_the_command_line_exits_0_and_writes_nothing(stack, settings, capsys):
    settings.HISTORY_IMPORT_TITLES = 2
    watch(stack, 2, movies(2))
    stack["plex"].clear()

    call_command("run_job", "history_import", "--sync", "--dry-run")

    out = capsys.readouterr().out
    run = JobRun.objects.get(job="history_import")
    assert run.status == "succeeded", out
    assert "Would import 2 seeds from the Plex history of Bea." in out
    assert stack["plex"].writes() == 0 and collections(stack["plex"]) == {}
    assert not ProcessedItem.objects.exists() and not ImmaculateTasteTitle.objects.exists()


def test_task_manager_has_its_card_and_run_now_queues_it(admin_client):
    page = admin_client.get("/tasks").content.decode()
    assert 'id="job-history_import"' in page and "Import Plex History" in page
    response = admin_client.post("/tasks/history_import/run", {})
    run = JobRun.objects.get(job="history_import")
    assert response["Location"] == f"/rewind/{run.pk}"
    assert (run.status, run.trigger, run.viewer_account_id) == ("queued", "manual", None)


def test_an_episode_seeds_its_show_in_the_tv_library(stack, settings):
    settings.HISTORY_IMPORT_TITLES = 2
    plex = stack["plex"]
    with plex.lock:
        episodes = sorted((k, i.grandparent) for k, i in plex.library.items.items()
                          if i.kind == "episode" and i.section == 2)
    (first, show), (second, same) = episodes[0], episodes[1]
    assert same == show  # two episodes of one show: one seed
    watch(stack, 3, [plex.library.items[first], plex.library.items[second]])

    run = import_history()

    assert run.status == "succeeded", (run.reason, run.report["scopes"])
    done = ProcessedItem.objects.filter(job="immaculate_taste")
    assert list(done.values_list("viewer_account_id", "library_key", "item_key")) == [
        (3, "2", str(show))]
    assert ImmaculateTasteTitle.objects.filter(viewer__account_id=3, library__key="2").exists()
