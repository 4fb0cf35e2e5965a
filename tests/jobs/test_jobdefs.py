"""The real jobs, in-process, against the Plex and TMDB doubles."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from jobs import runner
from jobs.context import Scope
from jobs.dispatch import dispatch
from jobs.models import JobRun
from recommendations.models import ImmaculateTasteTitle

pytestmark = pytest.mark.django_db


def a_seed(stack):
    from vault.models import PlexItem

    item = PlexItem.objects.filter(library__key="1", tmdb_id__isnull=False).order_by(
        "rating_key").first()
    return item


def collections(plex) -> dict:
    with plex.lock:
        return {c.title: list(c.items) for c in plex.collections.values()}


def test_run_job_dry_run_prints_picks_and_plan_and_writes_nothing(stack, capsys):
    seed = a_seed(stack)

    call_command("run_job", "immaculate_taste", "--dry-run", "--sync", "--viewer", "Bea",
                 "--seed-title", seed.title, "--seed-year", str(seed.year))

    out = capsys.readouterr().out
    run = JobRun.objects.get(job="immaculate_taste")
    assert run.status == "succeeded", out
    picks = run.report["lists"][0]["items"]
    assert len(picks) == 10 and out.count(f"— Because you watched {seed.title}") == 10
    assert all(f"{p['title']} ({p['year']})" in out for p in picks)
    plan = out[out.index("Plex plan (not applied):"):]
    assert "Inspired by your Immaculate Taste (Bea): create +" in plan
    assert "(custom sort; pin to Friends' Home; poster)" in plan
    assert not ImmaculateTasteTitle.objects.exists()
    assert stack["plex"].writes() == 0 and collections(stack["plex"]) == {}
    assert not JobRun.objects.filter(job="immaculate_taste_refresher").exists()


def test_immaculate_taste_sync_run_fills_dataset_and_chained_refresher_builds_rows(stack):
    seed = a_seed(stack)
    run = dispatch("immaculate_taste", scope=Scope.of(stack["viewers"]["bea"],
                                                      stack["libraries"]["1"], "movie"),
                   seed={"rating_key": str(seed.rating_key), "media_type": "movie"},
                   enqueue_now=False)

    runner.execute(run.pk, sync=True)

    run.refresh_from_db()
    child = JobRun.objects.get(parent=run)
    assert run.status == "succeeded", run.reason
    assert ImmaculateTasteTitle.objects.filter(viewer__account_id=2).count() > 0
    assert (child.job, child.trigger, child.status) == ("immaculate_taste_refresher",
                                                        "chained", "succeeded"), child.reason
    assert (child.viewer_account_id, child.library_key) == (2, "1")
    assert "Inspired by your Immaculate Taste (Bea)" in collections(stack["plex"])


def test_immaculate_taste_plex_down_fails_naming_plex_and_changes_nothing(stack):
    seed = a_seed(stack)
    stack["plex"].down = True
    run = dispatch("immaculate_taste", scope=Scope.of(stack["viewers"]["bea"],
                                                      stack["libraries"]["1"], "movie"),
                   seed={"rating_key": str(seed.rating_key), "media_type": "movie"},
                   enqueue_now=False)

    runner.execute(run.pk, sync=True)

    run.refresh_from_db()
    assert run.status == "failed" and "Plex" in run.reason, run.reason
    assert not ImmaculateTasteTitle.objects.exists()
    stack["plex"].down = False
    assert collections(stack["plex"]) == {}


def test_run_job_unknown_key_lists_jobs(capsys):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError) as caught:
        call_command("run_job", "nope")

    assert "Unknown job 'nope'" in str(caught.value)
    assert "immaculate_taste " in str(caught.value) and "needs --seed-title" in str(caught.value)


def test_run_job_seeded_job_without_seed_refused(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="needs a seed"):
        call_command("run_job", "latest_watched", "--sync")


def test_refresher_sweep_without_plex_skips(people):
    run = dispatch("immaculate_taste_refresher", enqueue_now=False)

    runner.execute(run.pk, sync=True)

    run.refresh_from_db()
    assert (run.status, run.reason_code) == ("skipped", "plex_not_enabled")


def test_run_job_sync_prints_the_chained_refresher_and_its_outcome(stack, capsys):
    seed = a_seed(stack)

    call_command("run_job", "immaculate_taste", "--sync", "--viewer", "Bea",
                 "--seed-rating-key", str(seed.rating_key))

    out = capsys.readouterr().out
    child = JobRun.objects.get(job="immaculate_taste_refresher")
    assert child.status == "succeeded", child.reason
    assert out.count("Chained runs:") == 1
    assert (f"#{child.pk} Immaculate Taste Refresher (immaculate_taste_refresher): succeeded"
            " · Bea · Movies") in out


def test_refresher_sweep_takes_down_the_rows_of_a_viewer_no_longer_monitored(stack):
    seed = a_seed(stack)
    bea = stack["viewers"]["bea"]
    run = dispatch("immaculate_taste", scope=Scope.of(bea, stack["libraries"]["1"], "movie"),
                   seed={"rating_key": str(seed.rating_key), "media_type": "movie"},
                   enqueue_now=False)
    runner.execute(run.pk, sync=True)
    assert "Inspired by your Immaculate Taste (Bea)" in collections(stack["plex"])
    bea.monitored = False  # no sweep syncs her rows any more
    bea.save()

    sweep = dispatch("immaculate_taste_refresher", enqueue_now=False)
    runner.execute(sweep.pk, sync=True)

    sweep.refresh_from_db()
    assert sweep.status == "succeeded", sweep.reason
    assert "Inspired by your Immaculate Taste (Bea)" not in collections(stack["plex"])
