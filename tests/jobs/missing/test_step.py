"""The missing-titles step in immaculate_taste, sync, against Plex/TMDB and Radarr doubles."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from jobs.models import JobRun, JobSetting
from recommendations.models import ImmaculateTasteTitle, MissingSend
from tests.fakes.arr.radarr import RadarrDouble
from tests.jobs.test_jobdefs import a_seed
from vault import integrations

pytestmark = pytest.mark.django_db

WRITES = ("POST", "PUT", "DELETE")


@pytest.fixture
def radarr(stack):
    double = RadarrDouble(stack["catalog"]).start()
    integrations.save("radarr", True, {"url": double.url, "api_key": double.api_key,
                                       "root_folder": double.media_root, "quality_profile": 4,
                                       "minimum_availability": "released"})
    yield double
    double.stop()


def route(**fields):
    setting = JobSetting.of("immaculate_taste")
    for key, value in ({"fetch_missing": True, "route": "direct", "search_now": True}
                       | fields).items():
        setattr(setting, key, value)
    setting.save()


def run(seed, *flags):
    call_command("run_job", "immaculate_taste", "--sync", "--viewer", "Bea", "--seed-title",
                 seed.title, "--seed-year", str(seed.year), *flags)
    return JobRun.objects.filter(job="immaculate_taste").order_by("-pk").first()


def missing_ids(run_):
    return sorted(i["tmdb_id"] for i in run_.report["lists"][0]["items"]
                  if not i.get("rating_key"))


def writes(double) -> int:
    return sum(double.count(m) for m in WRITES)


def test_direct_route_adds_every_missing_movie_once(stack, radarr):
    route()
    seed = a_seed(stack)

    first = run(seed)

    assert first.status == "succeeded", first.reason
    sent = {line["tmdb_id"] for line in first.report["sends"]}
    assert sent and all(radarr.movie_by_tmdb(t) for t in sent)
    assert all(line["state"] == "sent" and line["service"] == "radarr"
               for line in first.report["sends"])
    assert "sent to Radarr" in first.report["summary"]
    posts = radarr.count("POST", r"/api/v3/movie$")
    assert posts == len(sent)
    assert JobRun.objects.filter(job="immaculate_taste_refresher").exists()

    run(seed)
    assert radarr.count("POST", r"/api/v3/movie$") == posts


def test_dry_run_lists_would_be_requests_and_writes_nothing(stack, radarr):
    route()
    seed = a_seed(stack)

    dry = run(seed, "--dry-run")

    assert dry.report["sends"], dry.report["summary"]
    assert all(line["request"]["method"] == "POST" for line in dry.report["sends"])
    assert writes(radarr) == 0
    assert not MissingSend.objects.exists()


def test_radarr_down_run_partial_names_radarr_rows_unchanged_next_run_sends(stack, radarr):
    seed = a_seed(stack)
    baseline = run(seed)  # fetch_missing off
    items = sorted(ImmaculateTasteTitle.objects.values_list("tmdb_id", flat=True))
    route()
    radarr.down = True

    down = run(seed)

    assert down.status == "partial"
    assert down.reason.startswith("Radarr failed: ")
    assert down.reason.endswith("the rest went on without it.")
    assert sorted(ImmaculateTasteTitle.objects.values_list("tmdb_id", flat=True)) == items
    assert JobRun.objects.filter(job="immaculate_taste_refresher").count() == 2
    assert baseline.status == "succeeded"
    radarr.down = False

    back = run(seed)

    sent = [line for line in back.report["sends"] if line["state"] == "sent"]
    assert sent and radarr.count("POST", r"/api/v3/movie$") == len(sent)


def test_approval_on_sends_nothing_until_one_is_approved(stack, radarr):
    from recommendations.missing.approval import approve

    route(approval=True)
    seed = a_seed(stack)

    waiting = run(seed)

    assert {line["state"] for line in waiting.report["sends"]} == {"awaiting_approval"}
    assert "waiting for approval" in waiting.report["summary"]
    assert radarr.count("POST", r"/api/v3/movie$") == 0
    one = MissingSend.objects.filter(state="awaiting_approval").order_by("pk").first()

    approve(one)

    adds = [r.json() for r in radarr.requests if r.method == "POST" and r.path == "/api/v3/movie"]
    assert [body["tmdbId"] for body in adds] == [one.tmdb_id]


def test_overseerr_route_one_request_per_missing_title_as_the_viewer(stack, radarr):
    from tests.fakes.overseerr import OverseerrDouble

    seerr = OverseerrDouble(stack["catalog"]).start()
    try:
        integrations.save("overseerr", True, {"url": seerr.url, "api_key": seerr.api_key})
        bea = stack["viewers"]["bea"]
        bea.plextv_id = 2
        bea.save()
        route(route="overseerr")

        done = run(a_seed(stack))

        bodies = [r.json() for r in seerr.requests
                  if r.method == "POST" and r.path == "/api/v1/request"]
        asked = [line["tmdb_id"] for line in done.report["sends"]]
        assert asked and sorted(b["mediaId"] for b in bodies) == sorted(asked)
        assert len({b["userId"] for b in bodies}) == 1 and bodies[0]["userId"]
        assert writes(radarr) == 0
    finally:
        seerr.stop()
