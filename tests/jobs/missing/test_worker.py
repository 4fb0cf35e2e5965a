"""Must-show 1 on a real worker: immaculate_taste with fetch_missing/direct/search_now sends
every missing movie to the Radarr double once, with root folder, profile, tags and a search."""

from __future__ import annotations

import pytest

from jobs.context import Scope
from jobs.dispatch import dispatch
from jobs.models import FINISHED, JobRun
from tests.jobs import procs
from tests.jobs.missing.test_step import radarr, route  # noqa: F401 (fixture)
from tests.jobs.test_jobdefs import a_seed

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def taste(stack, seed, tmp_path, name):
    run = dispatch("immaculate_taste", scope=Scope.of(stack["viewers"]["bea"],
                                                      stack["libraries"]["1"], "movie"),
                   seed={"rating_key": str(seed.rating_key), "media_type": "movie"})
    done, _ = procs.wait_status(run.pk, FINISHED, timeout=60)
    assert done, f"run #{run.pk} did not finish"
    return JobRun.objects.get(pk=run.pk)


def test_worker_taste_sends_missing_movies_to_radarr_once(stack, radarr, tmp_path):  # noqa: F811
    route()
    seed = a_seed(stack)
    with procs.processes() as started:
        worker = procs.start_worker("missing", tmp_path, TMDB_BASE_URL=stack["tmdb"].base)
        started.append(worker)
        first = taste(stack, seed, tmp_path, "one")
        posts = radarr.count("POST", r"/api/v3/movie$")
        again = taste(stack, seed, tmp_path, "two")

    assert first.status == "succeeded", (first.reason, procs.tail(worker))
    sent = [line["tmdb_id"] for line in first.report["sends"] if line["state"] == "sent"]
    assert sent and posts == len(sent)
    assert all(radarr.movie_by_tmdb(line["tmdb_id"]) for line in first.report["sends"])
    for tmdb_id in sent:
        movie = radarr.movie_by_tmdb(tmdb_id)
        assert movie["rootFolderPath"] == radarr.media_root and movie["qualityProfileId"] == 4
        assert len(movie["tags"]) == 2
    adds = [r.json() for r in radarr.requests if r.method == "POST" and r.path == "/api/v3/movie"]
    assert all(body["addOptions"] == {"searchForMovie": True} for body in adds)
    assert again.status in ("succeeded", "skipped")
    assert radarr.count("POST", r"/api/v3/movie$") == posts
