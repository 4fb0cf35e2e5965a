"""What the Sonarr client sends to search and to monitor episodes again, against the Sonarr
double (built from Sonarr's OpenAPI document, which checks every body and answer): the command
name and its fields as Sonarr's command classes read them (EpisodeSearchCommand.EpisodeIds, a
list of integers; SeriesSearchCommand.SeriesId, an integer), nothing more, and what Sonarr then
does with them."""

from __future__ import annotations

import pytest

from tests.fakes.arr.sonarr import SonarrDouble
from tests.fakes.catalog import Catalog
from vault.clients.errors import ServiceError
from vault.clients.sonarr import SonarrClient


@pytest.fixture(scope="module")
def double():
    started = SonarrDouble(Catalog(n_movies=20, n_shows=20, seed=77), seed=6).start()
    yield started
    started.stop()


@pytest.fixture
def sonarr(double, settings):
    settings.VAULT_HTTP_RETRIES = 0
    double.reset()
    double.clear()
    return double


@pytest.fixture
def client(sonarr):
    return SonarrClient(sonarr.url, sonarr.api_key)


def posted(double) -> list[dict]:
    return [r.json() for r in double.requests if (r.method, r.path) == ("POST",
                                                                        "/api/v3/command")]


def checked(double) -> list[str]:
    return double.schema_violations + double.answer_violations


def unmonitor_some(double, n: int = 3) -> list[dict]:
    """`n` missing episodes of a monitored series, unmonitored in the double's state as an
    earlier cleanup or monitor change leaves them."""
    chosen = sorted(double.missing(True), key=lambda e: e["id"])[:n]
    assert len(chosen) == n
    for e in chosen:
        e["monitored"] = False
    return chosen


def test_sonarr_search_episodes_sends_episode_search_with_integer_ids(sonarr, client):
    chosen = [e["id"] for e in sonarr.missing(True)[:3]]

    answer = client.search_episodes(iter(chosen))

    assert posted(sonarr) == [{"name": "EpisodeSearch", "episodeIds": chosen}]
    assert (answer["name"], answer["status"], answer["body"]["episodeIds"]) == (
        "EpisodeSearch", "queued", chosen)
    assert [e["id"] for e in sonarr.episodes.values() if e["lastSearchTime"]] == chosen
    assert checked(sonarr) == []


def test_sonarr_search_series_sends_series_search_with_an_integer_id(sonarr, client):
    series = next(s for s in sonarr.series.values() if sonarr.missing(True, s["id"]))

    answer = client.search_series(str(series["id"]))

    assert posted(sonarr) == [{"name": "SeriesSearch", "seriesId": series["id"]}]
    assert answer["body"]["seriesId"] == series["id"]
    stamped = {e["id"] for e in sonarr.episodes.values() if e["lastSearchTime"]}
    assert stamped == {e["id"] for e in sonarr.missing(True, series["id"])}
    assert checked(sonarr) == []


def test_sonarr_search_missing_names_the_series_only_when_given(sonarr, client):
    series_id = next(iter(sonarr.series))

    client.search_missing(series_id)
    client.search_missing()

    assert posted(sonarr) == [{"name": "MissingEpisodeSearch", "seriesId": series_id},
                              {"name": "MissingEpisodeSearch"}]
    assert checked(sonarr) == []


def test_sonarr_monitoring_episodes_again_then_searching_them(sonarr, client):
    episodes = unmonitor_some(sonarr)
    ids = [e["id"] for e in episodes]
    series = {e["seriesId"]: dict(sonarr.series[e["seriesId"]]) for e in episodes}

    client.set_episodes_monitored(ids, True)
    client.search_episodes(ids)

    puts = [r.json() for r in sonarr.requests if r.method == "PUT"]
    assert puts == [{"episodeIds": ids, "monitored": True}]
    assert posted(sonarr) == [{"name": "EpisodeSearch", "episodeIds": ids}]
    assert {e["id"] for e in sonarr.missing(True)} >= set(ids)  # wanted again
    assert all(sonarr.episodes[i]["monitored"] and sonarr.episodes[i]["lastSearchTime"]
               for i in ids)
    assert {sid: sonarr.series[sid]["monitored"] for sid in series} == {
        sid: s["monitored"] for sid, s in series.items()}  # the series flags are left alone
    assert checked(sonarr) == []


def test_sonarr_series_search_skips_episodes_still_unmonitored(sonarr, client):
    # Sonarr searches the monitored episodes of a series only: a SeriesSearch does not
    # reach episodes nobody monitored again, so those need their own monitor PUT first.
    episode = unmonitor_some(sonarr, 1)[0]

    client.search_series(episode["seriesId"])

    assert sonarr.episodes[episode["id"]]["lastSearchTime"] is None
    assert any(e["lastSearchTime"] for e in sonarr.episodes_of(episode["seriesId"]))


def test_sonarr_search_refused_is_a_service_error_sentence(sonarr, client):
    sonarr.fault(status=500, path="/api/v3/command")

    with pytest.raises(ServiceError) as caught:
        client.search_episodes([1])

    assert "500" in str(caught.value)
    assert sonarr.commands == []
