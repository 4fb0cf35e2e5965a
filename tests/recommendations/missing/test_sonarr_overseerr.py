"""send_missing for shows through Sonarr by TVDB id, and both kinds through Overseerr."""

from __future__ import annotations

from recommendations.missing.routing import Missing, Routing
from recommendations.missing.send import send_missing
from recommendations.models import MissingSend

DIRECT = Routing(fetch_missing=True, route="direct", approval=False, search_now=False)
SEERR = Routing(fetch_missing=True, route="overseerr", approval=True, search_now=True)


def shows(who, titles, routing=DIRECT, viewer="bea", dry_run=False):
    people, libs = who
    return send_missing(people[viewer], libs["2"], "show", titles, "latest_watched",
                        routing, dry_run)


def movies(who, titles, viewer="bea", dry_run=False):
    people, libs = who
    return send_missing(people[viewer], libs["1"], "movie", titles, "immaculate_taste",
                        SEERR, dry_run)


def posted(double, path):
    return [r.json() for r in double.requests if r.method == "POST" and r.path == path]


def test_routing_overseerr_turns_approval_and_search_off():
    assert (SEERR.approval, SEERR.search_now) == (False, False)


def test_send_missing_adds_show_to_sonarr_by_tvdb_id(arr, who):
    sonarr = arr["sonarr"]

    outcome = shows(who, [Missing(500007, "Seven", 2015, tvdb_id=300007)])

    [body] = posted(sonarr, "/api/v3/series")
    assert (body["tvdbId"], body["rootFolderPath"], body["qualityProfileId"]) == (
        300007, sonarr.media_root, 4)
    assert body["addOptions"] == {"monitor": "firstSeason", "searchForMissingEpisodes": False}
    assert (body["seriesType"], body["languageProfileId"], body["seasonFolder"]) == (
        "standard", 1, True)
    assert sonarr.series_by_tvdb(300007)["monitored"] is True
    assert outcome.lines[0]["state"] == "sent"
    assert outcome.services["Sonarr"]["detail"] == (
        "1 sent, 0 already there, 0 monitored again, 0 failed")


def test_send_missing_show_without_tvdb_id_fails_that_line(arr, who):
    outcome = shows(who, [Missing(500014, "Fourteen", 2019)])

    assert (outcome.lines[0]["state"], outcome.lines[0]["sentence"]) == (
        "failed", "TMDB knows no TVDB id for it.")
    assert posted(arr["sonarr"], "/api/v3/series") == []


def test_send_missing_monitors_unmonitored_series_again(arr, who):
    sonarr = arr["sonarr"]

    outcome = shows(who, [Missing(500000, "Zero", 2010, tvdb_id=300000),
                          Missing(500002, "Two", 2012, tvdb_id=300002)])

    assert [ln["state"] for ln in outcome.lines] == ["remonitored", "already_there"]
    assert sonarr.series_by_tvdb(300000)["monitored"] is True


def test_overseerr_request_is_credited_to_the_viewer_by_plex_id(arr, who):
    overseerr, radarr = arr["overseerr"], arr["radarr"]

    outcome = movies(who, [Missing(1003, "Three", 2001)])

    [body] = posted(overseerr, "/api/v1/request")
    assert body == {"mediaType": "movie", "mediaId": 1003, "userId": 2}
    assert outcome.lines[0]["sentence"] == "Requested in Overseerr for alice."
    row = MissingSend.objects.get(tmdb_id=1003)
    assert (row.route, row.state, row.requested_as, row.requested_as_name) == (
        "overseerr", "sent", 2, "alice")
    assert overseerr.media_requests[row.service_id]["requestedBy"]["id"] == 2
    assert radarr.requests == []


def test_overseerr_without_mapping_requests_as_the_key_user_and_says_so(arr, who):
    who[0]["cy"].plextv_id = 99
    who[0]["cy"].save()

    outcome = movies(who, [Missing(1003, "Three", 2001)], viewer="cy")

    [body] = posted(arr["overseerr"], "/api/v1/request")
    assert "userId" not in body
    assert outcome.lines[0]["sentence"] == (
        "Requested in Overseerr as the API key's user: no Overseerr user has Plex id 99.")


def test_overseerr_409_is_already_there_and_403_is_failed_with_the_sentence(arr, who):
    overseerr = arr["overseerr"]

    taken = movies(who, [Missing(1000, "Zero", 2000)])
    overseerr.quota_exceeded = True
    refused = movies(who, [Missing(1003, "Three", 2001)])

    assert (taken.lines[0]["state"], taken.lines[0]["sentence"]) == (
        "already_there", "Already requested in Overseerr.")
    assert (refused.lines[0]["state"], refused.lines[0]["sentence"]) == (
        "failed", "Overseerr refused it: Movie Quota exceeded.")
    assert refused.services["Overseerr"]["status"] == "failed"
    assert MissingSend.objects.get(tmdb_id=1003).reason == (
        "Overseerr refused it: Movie Quota exceeded.")


def test_overseerr_tv_follows_the_season_policy(arr, who):
    shows(who, [Missing(500007, "Seven", 2015, tvdb_id=300007)], routing=SEERR)

    [body] = posted(arr["overseerr"], "/api/v1/request")
    assert body == {"mediaType": "tv", "mediaId": 500007, "seasons": [1], "tvdbId": 300007,
                    "userId": 2}
    assert posted(arr["sonarr"], "/api/v3/series") == []


def test_overseerr_dry_run_lists_the_request_and_sends_none(arr, who):
    outcome = movies(who, [Missing(1003, "Three", 2001)], dry_run=True)

    assert [r.method for r in arr["overseerr"].requests] == ["GET"]
    assert outcome.lines[0]["request"] == {
        "method": "POST", "path": "/api/v1/request",
        "body": {"mediaType": "movie", "mediaId": 1003, "userId": 2}}
    assert MissingSend.objects.count() == 0
