"""A series already in Sonarr but unmonitored is monitored again with its seasons, so its
episodes are monitored and the SeriesSearch that follows looks for them (Sonarr only searches
monitored episodes)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from recommendations.missing.routing import Missing, Routing
from recommendations.missing.send import send_missing
from vault import integrations

SEARCH = Routing(fetch_missing=True, route="direct", approval=False, search_now=True)


def unmonitored_with_missing(sonarr) -> dict:
    """The unmonitored series with the most seasons."""
    return max((s for s in sonarr.series.values() if not s["monitored"]),
               key=lambda s: len(s["seasons"]))


def remonitor(who, sonarr, series):
    people, libs = who
    return send_missing(people["bea"], libs["2"], "show",
                        [Missing(series["tmdbId"], series["title"], series.get("year") or 2010,
                                 tvdb_id=series["tvdbId"])],
                        "latest_watched", SEARCH, False)


@pytest.mark.parametrize("choice, seasons", [("all", "regular"), ("firstSeason", "first"),
                                             ("latestSeason", "last")])
def test_monitoring_again_monitors_seasons_by_the_choice_and_searches_them(arr, who, choice,
                                                                          seasons):
    sonarr = arr["sonarr"]
    config = integrations.get_config("sonarr").values
    integrations.save("sonarr", True, {**config, "season_monitor": choice})
    series = unmonitored_with_missing(sonarr)
    regular = sorted(s["seasonNumber"] for s in series["seasons"] if s["seasonNumber"] > 0)
    expected = {"regular": regular, "first": regular[:1], "last": regular[-1:]}[seasons]

    outcome = remonitor(who, sonarr, series)

    assert [ln["state"] for ln in outcome.lines] == ["remonitored"]
    episodes = sonarr.episodes_of(series["id"])
    monitored = sorted({e["seasonNumber"] for e in episodes if e["monitored"]})
    assert monitored == expected
    assert not any(e["monitored"] for e in episodes if e["seasonNumber"] == 0)
    assert [c["body"]["seriesId"] for c in sonarr.commands_named("SeriesSearch")] == [
        series["id"]]
    aired = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    wanted = [e["id"] for e in episodes
              if e["monitored"] and not e["hasFile"] and e["airDateUtc"] <= aired]
    assert [e["id"] for e in episodes if e["lastSearchTime"]] == wanted

