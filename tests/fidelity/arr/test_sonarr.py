"""The Sonarr double over HTTP: lookup, add with monitor options, season and episode monitoring."""

from tests.fakes.arr.sonarr import SonarrDouble
from tests.fidelity.arr.api import Api


def new_show(sonarr, catalog):
    return next(t for t in catalog.shows
                if not t.in_plex and not t.upcoming and not sonarr.series_by_tvdb(t.tvdb_id))


# Sonarr -------------------------------------------------------------------------------------------
def test_sonarr_lookup_answers_the_library_series_or_bare_metadata(sonarr, catalog):
    api = Api(sonarr, "sonarr-key")
    seeded = next(iter(sonarr.series.values()))
    fresh = new_show(sonarr, catalog)

    known = api.get("/api/v3/series/lookup", params={"term": f"tvdb:{seeded['tvdbId']}"}).json()
    unknown = api.get("/api/v3/series/lookup", params={"term": f"tvdb:{fresh.tvdb_id}"}).json()
    nothing = api.get("/api/v3/series/lookup", params={"term": "tvdb:1"}).json()

    assert [s["id"] for s in known] == [seeded["id"]]
    assert ["id" in s for s in unknown] == [False]
    assert nothing == []


def test_sonarr_add_applies_monitor_option_and_queues_missing_search(sonarr, catalog):
    api, show = Api(sonarr, "sonarr-key"), new_show(sonarr, catalog)
    found = api.get("/api/v3/series/lookup", params={"term": f"tvdb:{show.tvdb_id}"}).json()[0]
    body = found | {"qualityProfileId": 4, "languageProfileId": 1, "rootFolderPath": "/data/tv",
                    "monitored": True, "seasonFolder": True,
                    "addOptions": {"monitor": "firstSeason", "searchForMissingEpisodes": True}}

    added = api.post("/api/v3/series", json=body)

    assert added.status_code == 201
    series_id = added.json()["id"]
    episodes = api.get("/api/v3/episode", params={"seriesId": series_id}).json()
    assert {e["seasonNumber"] for e in episodes if e["monitored"]} == {1}
    assert [c["body"]["seriesId"] for c in sonarr.commands_named("MissingEpisodeSearch")] == \
        [series_id]


def test_sonarr_duplicate_add_is_a_series_exists_validation_error(sonarr):
    seeded = next(iter(sonarr.series.values()))
    body = seeded | {"qualityProfileId": 4}
    del body["id"]

    answer = Api(sonarr, "sonarr-key").post("/api/v3/series", json=body)

    assert (answer.status_code, answer.json()[0]["errorCode"]) == (400, "SeriesExistsValidator")


def test_sonarr_put_unmonitoring_a_season_unmonitors_its_episodes(sonarr):
    api = Api(sonarr, "sonarr-key")
    series = next(s for s in sonarr.series.values() if s["seasons"][0]["monitored"])
    seasons = [dict(s, monitored=s["seasonNumber"] != 1) for s in series["seasons"]]

    answer = api.put(f"/api/v3/series/{series['id']}", json=series | {"seasons": seasons})

    assert answer.status_code == 202
    season_one = api.get("/api/v3/episode", params={"seriesId": series["id"],
                                                    "seasonNumber": 1}).json()
    assert {e["monitored"] for e in season_one} == {False}


def test_sonarr_episode_monitor_put_flips_only_the_named_episodes(sonarr):
    api = Api(sonarr, "sonarr-key")
    series = next(s for s in sonarr.series.values() if not s["monitored"])
    episodes = sonarr.episodes_of(series["id"])
    chosen = [e["id"] for e in episodes[:2]]

    answer = api.put("/api/v3/episode/monitor", json={"episodeIds": chosen, "monitored": True})

    assert answer.status_code == 202
    assert [e["id"] for e in sonarr.episodes_of(series["id"]) if e["monitored"]] == chosen


def test_sonarr_search_commands_are_accepted_and_recorded(sonarr):
    api = Api(sonarr, "sonarr-key")
    series = next(iter(sonarr.series.values()))
    episode_ids = [e["id"] for e in sonarr.episodes_of(series["id"])[:2]]
    bodies = [{"name": "EpisodeSearch", "episodeIds": episode_ids},
              {"name": "SeasonSearch", "seriesId": series["id"], "seasonNumber": 1},
              {"name": "SeriesSearch", "seriesId": series["id"]},
              {"name": "MissingEpisodeSearch"}]

    statuses = [api.post("/api/v3/command", json=b).status_code for b in bodies]

    assert statuses == [201, 201, 201, 201]
    manual = [c["name"] for c in sonarr.commands if c["trigger"] == "manual"]
    assert manual == ["EpisodeSearch", "SeasonSearch", "SeriesSearch", "MissingEpisodeSearch"]


def test_sonarr_episode_list_needs_a_filter(sonarr):
    answer = Api(sonarr, "sonarr-key").get("/api/v3/episode")

    assert (answer.status_code, answer.json()["message"]) == \
        (400, "seriesId or episodeIds must be provided")


def test_sonarr_language_profile_is_the_v4_deprecated_one(sonarr):
    answer = Api(sonarr, "sonarr-key").get("/api/v3/languageprofile")

    assert [p["name"] for p in answer.json()] == ["Deprecated"]
    assert answer.headers["Deprecation"] == "true"


def test_sonarr_v3_lists_language_profiles_and_requires_one_on_add(catalog):
    t = catalog.shows[0]
    with SonarrDouble(catalog, v3=True, seed=0) as v3:
        api = Api(v3, "sonarr-key")
        status = api.get("/api/v3/system/status").json()["version"]
        profiles = [p["name"] for p in api.get("/api/v3/languageprofile").json()]
        found = api.get("/api/v3/series/lookup", params={"term": f"tvdb:{t.tvdb_id}"}).json()[0]
        body = {**found, "qualityProfileId": 4, "rootFolderPath": "/data/tv"}
        body.pop("languageProfileId", None)
        refused = api.post("/api/v3/series", json=body)
        added = api.post("/api/v3/series", json={**body, "languageProfileId": 2})

        assert (status, profiles, v3.answer_violations) == ("3.0.10.1567",
                                                            ["English", "Original"], [])
    assert [f["errorCode"] for f in refused.json()] == ["LanguageProfileExistsValidator"]
    assert (added.status_code, added.json()["tvdbId"]) == (201, t.tvdb_id)
