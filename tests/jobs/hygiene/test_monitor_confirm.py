"""Confirm Monitored (monitor_confirm), sync, against the Plex, Radarr and Sonarr doubles: what
Plex has is unmonitored (movies in one bulk edit, episodes at the episode level with the series
left monitored), a dry run writes nothing, skips say why."""

from __future__ import annotations

import pytest

from jobs import runner
from jobs.dispatch import dispatch
from jobs.models import JobRun
from tests.fakes.arr.radarr import RadarrDouble
from tests.fakes.arr.sonarr import SonarrDouble
from tests.fakes.catalog import Catalog
from tests.fakes.plex.plextv import PlexTvDouble
from tests.fakes.plex.server import PlexServerDouble
from tests.fakes.suite import stop_all
from tests.jobs.factories import connect_plex
from vault import integrations
from vault.clients.factory import plex_server
from vault.mirror import reader

pytestmark = pytest.mark.django_db
WRITES = ("POST", "PUT", "DELETE")
SELECTED = {1, 2}  # the Plex double's Movies and TV Shows (Kids Movies is not selected)


@pytest.fixture(scope="module")
def servers():
    """Plex (with plex.tv), Radarr (30 movies) and Sonarr (10 series) over one catalog, once
    per module: every test resets the *arr doubles to their seed."""
    catalog = Catalog(n_movies=120, n_shows=20, seed=77)
    plex = PlexServerDouble(catalog).start()
    started = {"catalog": catalog, "plex": plex, "plextv": PlexTvDouble(plex).start(),
               "radarr": RadarrDouble(catalog, seed=30).start(),
               "sonarr": SonarrDouble(catalog, seed=10).start()}
    yield started
    stop_all([v for k, v in started.items() if k != "catalog"])


@pytest.fixture
def arr(servers, people, settings):
    """The doubles set up in the Vault and the mirror indexed; Sonarr also has two monitored
    series Plex has (its seed's series in Plex are all unmonitored)."""
    settings.PLEX_TV_URL, settings.VAULT_HTTP_RETRIES = servers["plextv"].url, 0
    plex, radarr, sonarr = servers["plex"], servers["radarr"], servers["sonarr"]
    plex.clear()  # up again, no faults left by the test before
    radarr.reset(), sonarr.reset()
    extra = [t for t in servers["catalog"].shows if t.in_plex and not sonarr.series_by_tvdb(
        t.tvdb_id) and plex.library.rating_key_for(t.tmdb_id, "show") is not None]
    for t in extra[:2]:
        sonarr.seed_series(t, monitored=True)
    connect_plex(plex)
    for double in (radarr, sonarr):
        integrations.save(double.name, True, {"url": double.url, "api_key": double.api_key})
    server = plex_server()
    for library in people[1].values():
        reader.index_library(server, library)
    for double in (plex, radarr, sonarr):
        double.clear()
    return servers


def run(job: str = "monitor_confirm", dry_run: bool = False) -> JobRun:
    started = dispatch(job, dry_run=dry_run, enqueue_now=False)
    runner.execute(started.pk, sync=True)
    started.refresh_from_db()
    return started


def writes(double) -> int:
    return sum(double.count(m) for m in WRITES)


def plex_tmdb_movies(plex) -> set[int]:
    """TMDB ids of the movies in the Plex double's selected libraries (the double's state)."""
    return {i.source.tmdb_id for i in plex.library.items.values()
            if i.kind == "movie" and i.section in SELECTED}


def plex_episodes(plex) -> set[tuple[int, int, int]]:
    return {(i.source.tvdb_id, i.parent_index, i.index) for i in plex.library.items.values()
            if i.kind == "episode" and i.section in SELECTED}


@pytest.fixture
def drop_episode(arr):
    """Take one episode of a show out of the Plex double (as deleting its file would); it is
    back after the test (the double is the module's)."""
    plex, dropped = arr["plex"], []

    def drop(tvdb_id: int) -> tuple[int, int]:
        with plex.lock:
            ep = next(i for i in plex.library.items.values()
                      if i.kind == "episode" and i.source.tvdb_id == tvdb_id)
            plex.library.items[ep.parent].children.remove(ep.rating_key)
            del plex.library.items[ep.rating_key]
        dropped.append(ep)
        return ep.parent_index, ep.index

    yield drop
    with plex.lock:
        for ep in dropped:
            plex.library.items[ep.rating_key] = ep
            plex.library.items[ep.parent].children.append(ep.rating_key)


def test_radarr_movies_plex_has_are_unmonitored_in_one_bulk_edit(arr):
    radarr, in_plex = arr["radarr"], plex_tmdb_movies(arr["plex"])
    before = {m["id"]: dict(m) for m in radarr.movies.values()}
    expected = {i for i, m in before.items() if m["monitored"] and m["tmdbId"] in in_plex}
    radarr.clear()

    done = run()

    assert done.status == "succeeded", done.reason
    assert expected, "the seed has monitored movies Plex has"
    after = radarr.movies
    assert {i for i, m in before.items() if m["monitored"] and not after[i]["monitored"]} \
        == expected
    assert all(after[i]["monitored"] == m["monitored"] for i, m in before.items()
               if i not in expected)
    assert radarr.count("PUT", "/api/v3/movie/editor") == 1 and writes(radarr) == 1
    assert radarr.count() <= 3
    listed = next(lst for lst in done.report["lists"] if lst["title"] == "Radarr: unmonitored")
    assert sorted(i["title"] for i in listed["items"]) == sorted(before[i]["title"]
                                                                 for i in expected)
    assert {i["status"] for i in listed["items"]} == {"monitored → unmonitored"}


def test_legacy_agent_movies_are_matched_by_imdb_id(arr):
    radarr, catalog = arr["radarr"], arr["catalog"]
    legacy = [t for t in catalog.movies if t.in_plex and t.legacy_agent
              and arr["plex"].library.rating_key_for(t.tmdb_id, "movie", 1) is not None
              and not radarr.movie_by_tmdb(t.tmdb_id)]
    assert legacy, "the catalog has legacy-agent movies in Plex"
    movie = radarr.seed_movie(legacy[0], monitored=True)

    assert run().status == "succeeded"

    assert radarr.movies[movie["id"]]["monitored"] is False


def test_sonarr_episodes_plex_has_are_unmonitored_and_series_stay_monitored(arr, drop_episode):
    sonarr, plex = arr["sonarr"], arr["plex"]
    shows = [s for s in sonarr.series.values() if s["monitored"]
             and any(e[0] == s["tvdbId"] for e in plex_episodes(plex))]
    assert shows, "the seed has a monitored series Plex has"
    kept = drop_episode(shows[0]["tvdbId"])
    have = plex_episodes(plex)
    before = {i: dict(e) for i, e in sonarr.episodes.items()}
    series = {s["id"]: (s["tvdbId"], s["monitored"]) for s in sonarr.series.values()}
    expected = {i for i, e in before.items() if e["monitored"] and (
        series[e["seriesId"]][0], e["seasonNumber"], e["episodeNumber"]) in have}
    sonarr.clear()

    done = run()

    assert done.status == "succeeded", done.reason
    unmonitored = {i for i, e in before.items()
                   if e["monitored"] and not sonarr.episodes[i]["monitored"]}
    assert unmonitored == expected and expected
    assert {s["id"]: s["monitored"] for s in sonarr.series.values()} == \
        {i: flag for i, (_, flag) in series.items()}
    assert sonarr.count("PUT", r"^/api/v3/series") == 0
    first = shows[0]["id"]
    lacking = next(e for e in sonarr.episodes.values() if e["seriesId"] == first and
                   (e["seasonNumber"], e["episodeNumber"]) == kept)
    assert lacking["monitored"] is True  # Plex does not have it: Sonarr keeps hunting it
    assert sonarr.count("PUT", "/api/v3/episode/monitor") >= 1
    assert writes(sonarr) == sonarr.count("PUT", "/api/v3/episode/monitor")


def test_episode_unmonitoring_is_batched(arr, monkeypatch):
    from vault.clients import sonarr as sonarr_client

    monkeypatch.setattr(sonarr_client, "MONITOR_BATCH", 7)

    done = run()

    n = next(st["counts"]["episodes"] for st in done.report["steps"]
             if st["name"] == "Sonarr episode monitor")
    sonarr = arr["sonarr"]
    assert n > 7 and sonarr.count("PUT", "/api/v3/episode/monitor") == -(-n // 7)
    sent = [i for r in sonarr.requests if r.method == "PUT" for i in r.json()["episodeIds"]]
    assert len(sent) == len(set(sent)) == n
    assert not any(sonarr.episodes[i]["monitored"] for i in sent)


def test_dry_run_writes_nothing_and_lists_what_it_would_do(arr):
    radarr, sonarr, plex = arr["radarr"], arr["sonarr"], arr["plex"]
    before = ({i: m["monitored"] for i, m in radarr.movies.items()},
              {i: e["monitored"] for i, e in sonarr.episodes.items()})
    for double in (radarr, sonarr, plex):
        double.clear()

    done = run(dry_run=True)

    assert done.status == "succeeded", done.reason
    assert (writes(radarr), writes(sonarr), plex.writes()) == (0, 0, 0)
    assert ({i: m["monitored"] for i, m in radarr.movies.items()},
            {i: e["monitored"] for i, e in sonarr.episodes.items()}) == before
    titles = {lst["title"]: len(lst["items"]) for lst in done.report["lists"]}
    assert titles["Radarr: would be unmonitored"] > 0
    assert titles["Sonarr: would be unmonitored"] > 0
    assert done.report["summary"].startswith("Would unmonitor ")


def test_second_run_has_nothing_to_do_and_says_so(arr):
    assert run().status == "succeeded"

    again = run()

    assert (again.status, again.reason_code) == ("skipped", "nothing_to_unmonitor")
    assert "Plex already has" in again.reason
    assert writes(arr["radarr"]) == 1  # the first run's bulk edit only


def test_without_radarr_and_sonarr_it_skips_with_a_reason(db):
    done = run()

    assert (done.status, done.reason_code) == ("skipped", "arr_not_set_up")
    assert done.reason == "Neither Radarr nor Sonarr is set up in the Vault, so nothing was " \
                          "checked."


def test_a_service_not_set_up_is_skipped_with_its_reason(arr):
    integrations.save("sonarr", False, {})

    done = run()

    assert done.status == "succeeded", done.reason
    assert [s["code"] for s in done.report["skips"]] == ["sonarr_not_set_up"]
    assert done.report["skips"][0]["reason"] == ("Sonarr is not set up in the Vault, so no "
                                                 "episodes were checked.")
    assert arr["sonarr"].count() == 0


def test_without_plex_it_skips(arr):
    integrations.save("plex", False, {})

    done = run()

    assert (done.status, done.reason_code) == ("skipped", "plex_not_enabled")
    assert writes(arr["radarr"]) == writes(arr["sonarr"]) == 0


def test_plex_down_fails_the_run_before_anything_is_written(arr):
    arr["plex"].down = True

    done = run()

    assert (done.status, done.reason_code) == ("failed", "plex_unavailable")
    assert "Plex" in done.reason
    assert writes(arr["radarr"]) == writes(arr["sonarr"]) == 0


def test_failing_radarr_fails_its_card_and_sonarr_goes_on(arr):
    arr["radarr"].fault(status=401, path=r"^/api/v3/movie$", count=None)

    done = run()

    assert (done.status, done.reason_code) == ("partial", "service_failed")
    cards = {c["name"]: c["status"] for c in done.report["services"]}
    assert (cards["Radarr"], cards["Sonarr"]) == ("failed", "ok")
    assert writes(arr["radarr"]) == 0 and writes(arr["sonarr"]) >= 1
