"""Search Monitored (arr_monitored_search), sync, against the Radarr and Sonarr doubles: one
bulk search command per service for the missing monitored titles, at most ARR_SEARCH_MAX of
each, least recently searched first; a dry run posts nothing; skips say why."""

from __future__ import annotations

import pytest

from tests.fakes.arr.radarr import RadarrDouble
from tests.fakes.arr.sonarr import SonarrDouble
from tests.fakes.catalog import Catalog
from tests.jobs.hygiene.test_monitor_confirm import run, writes
from vault import integrations
from vault.clients import factory

pytestmark = pytest.mark.django_db
JOB = "arr_monitored_search"


@pytest.fixture(scope="module")
def doubles():
    catalog = Catalog(n_movies=120, n_shows=20, seed=77)
    started = (RadarrDouble(catalog, seed=40).start(), SonarrDouble(catalog, seed=10).start())
    yield started
    for double in started:
        double.stop()


@pytest.fixture
def arr(doubles, settings, db):
    settings.VAULT_HTTP_RETRIES = 0
    for double in doubles:
        double.reset()
        integrations.save(double.name, True, {"url": double.url, "api_key": double.api_key})
    return dict(zip(("radarr", "sonarr"), doubles, strict=True))


def missing_movies(radarr) -> list[dict]:
    return [m for m in radarr.movies.values() if m["monitored"] and not m["hasFile"]]


def test_one_search_command_each_for_the_missing_monitored_titles(arr, settings):
    settings.ARR_SEARCH_MAX = 1000  # above both backlogs
    radarr, sonarr = arr["radarr"], arr["sonarr"]
    available = {m["id"] for m in missing_movies(radarr) if m["isAvailable"]}
    episodes = {e["id"] for e in sonarr.missing(True)}
    assert available and episodes and len(available) < len(missing_movies(radarr))

    done = run(JOB)

    assert done.status == "succeeded", done.reason
    (movies,), (shows,) = radarr.commands_named("MoviesSearch"), \
        sonarr.commands_named("EpisodeSearch")
    assert set(movies["body"]["movieIds"]) == available  # not-yet-released ones left out
    assert set(shows["body"]["episodeIds"]) == episodes
    assert (radarr.count(), sonarr.count()) == (2, 2)  # one wanted page, one command each
    assert radarr.count("PUT") == sonarr.count("PUT") == 0
    lists = {lst["title"]: lst["items"] for lst in done.report["lists"]}
    assert len(lists["Radarr: search asked"]) == len(available)
    assert {i["status"] for i in lists["Sonarr: search asked"]} == {"missing → searched"}
    assert done.report["summary"] == (f"Asked for a search of {len(available)} movies in Radarr "
                                      f"and {len(episodes)} episodes in Sonarr.")


def test_searches_are_bounded_and_take_turns(arr, settings):
    settings.ARR_SEARCH_MAX = 2
    radarr = arr["radarr"]
    available = {m["id"] for m in missing_movies(radarr) if m["isAvailable"]}
    assert len(available) >= 4

    first, second = run(JOB), run(JOB)

    asked = [set(c["body"]["movieIds"]) for c in radarr.commands_named("MoviesSearch")]
    assert [len(a) for a in asked] == [2, 2] and not asked[0] & asked[1]
    assert asked[0] | asked[1] <= available
    assert all(len(c["body"]["episodeIds"]) == 2
               for c in arr["sonarr"].commands_named("EpisodeSearch"))
    assert any("at most 2 a run" in n for n in first.report["notes"])
    assert second.status == "succeeded"


def test_dry_run_posts_nothing_and_says_what_it_would_ask(arr):
    done = run(JOB, dry_run=True)

    assert done.status == "succeeded", done.reason
    assert writes(arr["radarr"]) == writes(arr["sonarr"]) == 0
    assert arr["radarr"].commands == arr["sonarr"].commands == []
    assert {lst["title"] for lst in done.report["lists"]} == {
        "Radarr: search would be asked", "Sonarr: search would be asked"}
    assert done.report["summary"].startswith("Would ask for a search of ")


def test_nothing_missing_is_a_skip_with_a_reason(arr):
    for m in arr["radarr"].movies.values():
        m.update(monitored=False)
    for s in arr["sonarr"].series.values():
        s.update(monitored=False)

    done = run(JOB)

    assert (done.status, done.reason_code) == ("skipped", "nothing_missing")
    assert done.reason == "Nothing to search: Radarr and Sonarr have no missing monitored titles."
    assert writes(arr["radarr"]) == writes(arr["sonarr"]) == 0


def test_without_radarr_and_sonarr_it_skips(db):
    done = run(JOB)

    assert (done.status, done.reason_code) == ("skipped", "arr_not_set_up")
    assert "so nothing was searched" in done.reason


def test_a_failing_sonarr_leaves_the_radarr_search_standing(arr):
    arr["sonarr"].fault(status=500, path="wanted/missing", count=None)

    done = run(JOB)

    assert (done.status, done.reason_code) == ("partial", "service_failed")
    assert len(arr["radarr"].commands_named("MoviesSearch")) == 1
    assert arr["sonarr"].commands == []


def test_wanted_listing_reads_pages_until_enough_are_kept(arr):
    radarr = arr["radarr"]
    client = factory.radarr()
    ordered = sorted(missing_movies(radarr), key=lambda m: (m["sortTitle"], m["id"]))
    last = ordered[-1]["id"]

    found = client.wanted(1, keep=lambda m: m["id"] == last, sortKey="movieMetadata.sortTitle",
                          sortDirection="ascending")

    # a limit of 1 reads pages of 1: every record up to the last one, one request each
    assert [m["id"] for m in found.records] == [last]
    assert (found.total, found.pages, found.passed) == (len(ordered), len(ordered),
                                                        len(ordered) - 1)
    assert client.requests == radarr.count("GET", "wanted/missing") == len(ordered)


def test_the_default_bound_is_a_hundred_a_service(arr):
    assert len(arr["sonarr"].missing(True)) > 100

    assert run(JOB).status == "succeeded"

    (command,) = arr["sonarr"].commands_named("EpisodeSearch")
    assert len(command["body"]["episodeIds"]) == 100


def test_both_jobs_have_their_default_schedules_and_a_task_manager_card(admin_client):
    from django_celery_beat.models import PeriodicTask

    crons = {t.name: (t.crontab.minute, t.crontab.hour, t.crontab.day_of_week)
             for t in PeriodicTask.objects.filter(name__in=["jobs: monitor_confirm",
                                                            "jobs: arr_monitored_search"])}
    assert crons == {"jobs: monitor_confirm": ("0", "1", "*"),
                     "jobs: arr_monitored_search": ("0", "4", "0")}

    html = admin_client.get("/tasks").content.decode()

    for key, name in (("monitor_confirm", "Confirm Monitored"),
                      ("arr_monitored_search", "Search Monitored")):
        card = html[html.index(f'id="job-{key}"'):]
        card = card[:card.index("</article>")] if "</article>" in card else card[:4000]
        assert name in card and "Run now" in card and "Dry run" in card
        assert "Scheduled" in card
