"""Search Monitored after Confirm Monitored or a duplicate-episode cleanup changed what Sonarr
monitors, against the doubles: exactly one POST /api/v3/command, {"name": "EpisodeSearch",
"episodeIds": [...]} with integer ids and nothing else (EpisodeSearchCommand.EpisodeIds), for
the episodes still monitored and missing: never one just unmonitored, always one the series
still wants. The Sonarr double checks each body against Sonarr's OpenAPI document."""

from __future__ import annotations

import pytest

from tests.fakes.plex.library import SHOWS
from tests.jobs.hygiene.support import run_here
from tests.jobs.hygiene.test_monitor_confirm import (  # noqa: F401 - fixtures
    arr,
    drop_episode,
    run,
    servers,
)

pytestmark = pytest.mark.django_db
SEARCH = "arr_monitored_search"


def commands_posted(sonarr) -> list[dict]:
    return [r.json() for r in sonarr.requests if (r.method, r.path) == ("POST",
                                                                        "/api/v3/command")]


def lose_file(episode: dict) -> None:
    """The episode's file is gone in Sonarr too (it aired, so Sonarr now counts it missing)."""
    episode.update(episodeFileId=0, hasFile=False)


def the_one_search(sonarr) -> list[int]:
    (body,) = commands_posted(sonarr)
    assert set(body) == {"name", "episodeIds"} and body["name"] == "EpisodeSearch"
    ids = body["episodeIds"]
    assert all(type(i) is int for i in ids) and len(ids) == len(set(ids))
    return ids


def test_search_after_confirm_monitored_asks_for_what_plex_lacks_not_what_it_unmonitored(
        arr, drop_episode, settings):  # noqa: F811 - the imported fixtures
    settings.ARR_SEARCH_MAX = 1000  # above the backlog: every missing episode is asked
    sonarr, plex = arr["sonarr"], arr["plex"]
    series = next(s for s in sonarr.series.values() if s["monitored"]
                  and plex.library.rating_key_for(s["tmdbId"], "show") is not None)
    season, number = drop_episode(series["tvdbId"])
    lacking = next(e for e in sonarr.episodes_of(series["id"], season)
                   if e["episodeNumber"] == number)
    lose_file(lacking)
    before = {i: e["monitored"] for i, e in sonarr.episodes.items()}

    assert run().status == "succeeded"
    unmonitored = {i for i, e in sonarr.episodes.items() if before[i] and not e["monitored"]}
    wanted = {e["id"] for e in sonarr.missing(True)}
    sonarr.clear()
    done = run(SEARCH)

    assert done.status == "succeeded", done.reason
    ids = the_one_search(sonarr)
    assert set(ids) == wanted and lacking["id"] in ids
    assert unmonitored and not unmonitored & set(ids)
    assert all(sonarr.episodes[i]["lastSearchTime"] for i in ids)
    assert sonarr.count("PUT") == 0  # searching changes no monitoring
    assert sonarr.schema_violations == []


def test_search_after_duplicate_cleanup_still_asks_for_the_series_missing_episodes(vaulted,
                                                                                  settings):
    settings.ARR_SEARCH_MAX = 1000
    plex, sonarr = vaulted.plex, vaulted.sonarr
    show = next(t for t in vaulted.catalog.shows if t.in_plex and sonarr.series_by_tvdb(
        t.tvdb_id))
    show_key = plex.rating_key_for(show.tmdb_id, "show", SHOWS)
    season = plex.library.items[show_key].children[0]
    plex.duplicate_episode(plex.library.items[season].children[1])
    series = sonarr.series_by_tvdb(show.tvdb_id)
    for ep in sonarr.episodes_of(series["id"]):
        ep["monitored"] = True
    series["monitored"] = True
    duplicate, gone = sonarr.episodes_of(series["id"], 1)[1], sonarr.episodes_of(series["id"],
                                                                                1)[2]
    lose_file(gone)  # the next episode's file is lost: Sonarr should hunt it again

    cleaned = run_here({"rating_keys": [show_key]})
    sonarr.clear()
    done = run(SEARCH)

    assert cleaned.status == "succeeded", cleaned.reason
    assert duplicate["monitored"] is False and series["monitored"] is True
    assert done.status == "succeeded", done.reason
    ids = the_one_search(sonarr)
    assert gone["id"] in ids and duplicate["id"] not in ids
    assert set(ids) <= {e["id"] for e in sonarr.episodes.values() if e["monitored"]}
    assert sonarr.schema_violations == []
