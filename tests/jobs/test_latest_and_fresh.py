"""Based on Latest Watched through the poller, and the standalone sweeps (owner last), in-process
against the Plex and TMDB doubles."""

from __future__ import annotations

import pytest

from jobs import runner
from jobs.context import Scope
from jobs.models import JobRun
from jobs.triggers.poller import poll
from recommendations.models import ImmaculateTasteTitle, LatestWatchedTitle
from tests.jobs.test_jobdefs import a_seed, collections
from tests.jobs.test_plex_down_mid_run import run_sync

pytestmark = pytest.mark.django_db


def test_poll_at_65_percent_runs_latest_watched_only_and_chains_scoped_refresher(stack):
    plex, seed = stack["plex"], a_seed(stack)
    plex.set_session(2, seed.rating_key, int(seed.duration_ms * 0.65))

    queued = poll()
    runner.execute(queued[0].pk, sync=True)

    run = JobRun.objects.get(pk=queued[0].pk)
    child = run.children.get()
    rows = collections(plex)
    assert [(r.job, r.trigger) for r in queued] == [("latest_watched", "auto")]
    assert run.status == "succeeded", run.reason
    assert (run.viewer_account_id, run.library_key, run.item_key) == (2, "1",
                                                                     str(seed.rating_key))
    kinds = LatestWatchedTitle.objects.filter(viewer__account_id=2).values_list("list_kind",
                                                                               flat=True)
    assert sorted(set(kinds)) == ["change_of_taste", "recently_watched"]
    assert (child.job, child.status, child.viewer_account_id, child.library_key) == (
        "latest_watched_refresher", "succeeded", 2, "1"), child.reason
    assert rows["Based on your recently watched movie (Bea)"]
    assert rows["Change of Taste (Bea)"]
    assert not JobRun.objects.filter(job="immaculate_taste").exists()
    assert not ImmaculateTasteTitle.objects.exists()


def test_fresh_out_of_the_oven_sweep_covers_every_monitored_viewer_owner_last(stack):
    run = run_sync("fresh_out_of_the_oven", Scope())

    scopes = [s["scope"] for s in run.report["scopes"]]
    assert run.status == "succeeded", run.reason
    assert scopes == ["Bea · Movies", "Bea · TV Shows", "Cy · Movies", "Cy · TV Shows",
                      "Ava Owner · Movies", "Ava Owner · TV Shows"]
    assert {"Fresh Out Of The Oven (Bea)", "Fresh Out Of The Oven (Ava Owner)"} <= set(
        collections(stack["plex"]))
