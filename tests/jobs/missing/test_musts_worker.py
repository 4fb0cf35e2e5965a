"""Issue 12's must-shows on a real worker against the doubles `python -m tests.fakes` starts
(its default catalog, where "The Velvet Mirror" (2020) is in Plex), set up the way an admin
would: the Vault, `tasks set`, then `run_job` waiting for the worker."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from jobs.models import FINISHED, JobRun
from recommendations.missing.approval import approve
from recommendations.models import ImmaculateTasteTitle, MissingSend, SendState
from tests.core.procs import wait_for
from tests.fakes.suite import start_all
from tests.fixtures_services import vault_values
from tests.jobs import procs
from vault import integrations
from vault.clients.factory import plex_server
from vault.mirror import reader
from vault.models import PlexItem

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]
WRITES = ("POST", "PUT", "DELETE")
SEED = ("The Velvet Mirror", "2020")


@pytest.fixture(scope="module")
def fakes():
    doubles = start_all()  # python -m tests.fakes' defaults: 2000 movies, 300 shows
    yield doubles
    doubles.stop()


@pytest.fixture(scope="module")
def one_worker(fakes, django_db_setup, django_db_blocker, tmp_path_factory):
    """One worker for the module: its environment is the module's doubles, and it reads the
    test database live (each test's flush included), so every test gets it as a new one."""
    with procs.processes() as started:
        with django_db_blocker.unblock():
            started.append(procs.start_worker(
                "musts", tmp_path_factory.mktemp("worker"), TMDB_BASE_URL=fakes.tmdb.base,
                PLEX_TV_URL=fakes.plextv.url))
        yield started[0]


@pytest.fixture
def worker(fakes, settings, one_worker):
    fakes.clear()
    fakes.radarr.reset(), fakes.sonarr.reset(), fakes.overseerr.reset()
    settings.TMDB_BASE_URL, settings.PLEX_TV_URL = fakes.tmdb.base, fakes.plextv.url
    for service, values in vault_values(fakes).items():
        integrations.save(service, service not in ("openai", "google"), values)
    reader.refresh(plex_server())
    assert one_worker.poll() is None, procs.tail(one_worker)
    return one_worker


def run_job(*args) -> JobRun:
    """The run, once it and the refresher it chained have finished."""
    call_command("run_job", *args, "--viewer", "Bea", "--timeout", "120")
    run = JobRun.objects.filter(job=args[0]).order_by("-pk").first()
    if not run.dry_run and run.status in ("succeeded", "partial"):
        child = wait_for(lambda: run.children.first(), timeout=20, every=0.2)
        assert child and procs.wait_status(child.pk, FINISHED, timeout=60)[0]
    return run


def taste(*extra) -> JobRun:
    return run_job("immaculate_taste", "--seed-title", SEED[0], "--seed-year", SEED[1], *extra)


def writes(double) -> list:
    return [r for r in double.requests if r.method in WRITES]


def missing_of(run: JobRun) -> list[dict]:
    return [i for i in run.report["lists"][0]["items"] if i["status"] == "missing"]


def test_direct_radarr_once_with_defaults_search_and_remonitor(fakes, worker):
    radarr = fakes.radarr
    call_command("tasks", "set", "immaculate_taste", "fetch_missing=on", "route=direct",
                 "search_now=on")
    dry = taste("--dry-run")  # must-show 8: the would-be requests, and no write anywhere
    assert dry.status == "succeeded", (dry.reason, procs.tail(worker))
    would = [line["request"] for line in dry.report["sends"]]
    assert would and all(r["method"] == "POST" for r in would)
    assert [writes(d) for d in (radarr, fakes.sonarr, fakes.overseerr)] == [[], [], []]
    assert MissingSend.objects.count() == 0
    # one pick is already in Radarr, unmonitored: it must be monitored again
    picks = [i["tmdb_id"] for i in missing_of(dry)]
    unmonitored = next(t for t in picks if radarr.movie_by_tmdb(t) is None)
    radarr._store(fakes.catalog.get("movie", unmonitored),
                  {"monitored": False, "qualityProfileId": 4, "tags": []})
    there = {t: radarr.movie_by_tmdb(t)["monitored"] for t in picks if radarr.movie_by_tmdb(t)}

    first = taste()

    assert first.status == "succeeded", (first.reason, procs.tail(worker))
    states = {line["tmdb_id"]: line["state"] for line in first.report["sends"]}
    assert states == {t: SendState.SENT if t not in there else SendState.ALREADY_THERE
                      if there[t] else SendState.REMONITORED for t in picks}
    assert all(radarr.movie_by_tmdb(t)["monitored"] for t in picks)
    tags = {t["id"]: t["label"] for t in radarr.tags}
    added = [t for t in picks if t not in there]
    for tmdb_id in added:
        movie = radarr.movie_by_tmdb(tmdb_id)
        assert (movie["rootFolderPath"], movie["qualityProfileId"]) == (
            radarr.media_root, radarr.quality_profiles[0]["id"])
        assert {tags[t] for t in movie["tags"]} == {"immaculaterr",
                                                     "immaculaterr-immaculate-taste"}
    searched = {i for c in radarr.commands_named("MoviesSearch")
                for i in c["body"].get("movieIds", [])}
    remonitored = [t for t in picks if there.get(t) is False]
    assert {radarr.movie_by_tmdb(t)["id"] for t in added + remonitored} <= searched

    before = len(writes(radarr))
    again = taste()
    assert again.status in ("succeeded", "skipped"), again.reason
    assert len(writes(radarr)) == before  # the same run again sends nothing new
    assert writes(fakes.sonarr) == writes(fakes.overseerr) == []


def a_show(fakes):
    return next(t for t in fakes.catalog.shows if t.in_plex and t.tvdb_id)


def test_tv_seed_goes_to_sonarr_by_tvdb_id(fakes, worker):
    sonarr = fakes.sonarr
    call_command("tasks", "set", "immaculate_taste", "fetch_missing=on", "route=direct",
                 "search_now=on")
    show = a_show(fakes)

    run = run_job("immaculate_taste", "--media-type", "tv", "--seed-title", show.title,
                  "--seed-year", str(show.year))

    assert run.status == "succeeded", (run.reason, procs.tail(worker))
    sent = [line for line in run.report["sends"] if line["state"] == SendState.SENT]
    assert sent and {line["service"] for line in run.report["sends"]} == {"sonarr"}
    adds = [r.json() for r in sonarr.requests if (r.method, r.path) == ("POST",
                                                                       "/api/v3/series")]
    assert sorted(b["tvdbId"] for b in adds) == sorted(line["tvdb_id"] for line in sent)
    assert all(fakes.catalog.get("show", line["tmdb_id"]).tvdb_id == line["tvdb_id"]
               for line in sent)
    assert all(b["addOptions"]["searchForMissingEpisodes"] is True for b in adds)
    assert writes(fakes.radarr) == writes(fakes.overseerr) == []
    before = len(writes(sonarr))
    run_job("immaculate_taste", "--media-type", "tv", "--seed-title", show.title,
            "--seed-year", str(show.year))
    assert len(writes(sonarr)) == before


def test_overseerr_route_credits_the_viewer_and_approval_waits(fakes, worker):
    overseerr = fakes.overseerr
    call_command("tasks", "set", "immaculate_taste", "fetch_missing=on", "route=overseerr")

    run = taste()

    assert run.status == "succeeded", (run.reason, procs.tail(worker))
    posts = [r.json() for r in overseerr.requests if (r.method, r.path) == ("POST",
                                                                           "/api/v1/request")]
    bea = next(u for u in overseerr.users.values() if u["plexId"] == 2)
    assert sorted(b["mediaId"] for b in posts) == sorted(i["tmdb_id"] for i in missing_of(run))
    assert {b["userId"] for b in posts} == {bea["id"]}
    assert writes(fakes.radarr) == writes(fakes.sonarr) == []

    # approval on (the direct route): nothing is sent until one title is approved
    call_command("tasks", "set", "immaculate_taste", "route=direct", "approval=on")
    MissingSend.objects.all().delete()
    waiting = taste()
    assert {line["state"] for line in waiting.report["sends"]} == {SendState.AWAITING_APPROVAL}
    assert writes(fakes.radarr) == []
    chosen = MissingSend.objects.filter(route="radarr").order_by("tmdb_id").first()

    approve(chosen)

    adds = [r.json() for r in writes(fakes.radarr) if r.path == "/api/v3/movie"]
    assert [b["tmdbId"] for b in adds] == [chosen.tmdb_id]


def main_library_seed() -> list[str]:
    """A movie of the big Movies library, so the row holds titles (the Velvet Mirror of 2020
    lives in Kids Movies, where every pick is missing and the row stays empty)."""
    item = PlexItem.objects.filter(library__title="Movies", tmdb_id__isnull=False).order_by(
        "rating_key").first()
    return ["--seed-rating-key", str(item.rating_key)]


def dataset() -> dict:
    return {t.tmdb_id: (t.status, t.points) for t in ImmaculateTasteTitle.objects.filter(
        viewer__account_id=2)}


def rows(plex) -> dict:
    with plex.lock:
        return {c.title: list(c.items) for c in plex.collections.values()}


def test_radarr_down_is_partial_and_the_next_run_sends_once(fakes, worker):
    radarr = fakes.radarr
    call_command("tasks", "set", "immaculate_taste", "fetch_missing=off")
    without = run_job("immaculate_taste", *main_library_seed())
    dataset_without, rows_without = dataset(), rows(fakes.plex)
    assert without.status == "succeeded" and any(rows_without.values()), without.reason
    assert missing_of(without), "the seed must have missing picks"
    call_command("tasks", "set", "immaculate_taste", "fetch_missing=on", "route=direct")
    radarr.down = True

    down = run_job("immaculate_taste", *main_library_seed())

    radarr.down = False
    assert (down.status, down.reason_code) == ("partial", "service_failed"), down.reason
    assert down.reason.startswith("Radarr failed: ")
    assert (dataset(), rows(fakes.plex)) == (dataset_without, rows_without)
    assert writes(radarr) == []
    waiting = [line["tmdb_id"] for line in down.report["sends"]
               if line["state"] == SendState.TO_SEND and not radarr.movie_by_tmdb(line["tmdb_id"])]

    back = run_job("immaculate_taste", *main_library_seed())

    posts = [r.json()["tmdbId"] for r in writes(radarr) if r.path == "/api/v3/movie"]
    assert back.status == "succeeded", back.reason
    assert posts and sorted(posts) == sorted(waiting)  # each waiting title sent exactly once
    run_job("immaculate_taste", *main_library_seed())
    assert len([r for r in writes(radarr) if r.path == "/api/v3/movie"]) == len(posts)
