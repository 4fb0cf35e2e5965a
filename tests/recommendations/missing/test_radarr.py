"""send_missing to the Radarr double: add, once only, monitor again, duplicates, faults."""

from __future__ import annotations

from recommendations.missing.routing import Missing, Routing
from recommendations.missing.send import send_missing
from recommendations.models import MissingSend

DIRECT = Routing(fetch_missing=True, route="direct", approval=False, search_now=True)
NEW = [Missing(1003, "Three", 2001), Missing(1005, "Five", 2003)]


def send(who, titles, routing=DIRECT, dry_run=False):
    people, libs = who
    return send_missing(people["bea"], libs["1"], "movie", titles, "immaculate_taste",
                        routing, dry_run)


def tag_ids(radarr, *labels):
    return sorted(t["id"] for t in radarr.tags if t["label"] in labels)


def test_send_missing_adds_with_root_folder_profile_tags_and_search(arr, who):
    radarr = arr["radarr"]

    outcome = send(who, NEW)

    added = radarr.movie_by_tmdb(1003)
    assert added["rootFolderPath"] == "/data/movies"
    assert added["qualityProfileId"] == 4
    assert sorted(added["tags"]) == tag_ids(radarr, "immaculaterr",
                                            "immaculaterr-immaculate-taste")
    assert len(added["tags"]) == 2
    assert added["monitored"] is True
    assert [line["state"] for line in outcome.lines] == ["sent", "sent"]
    assert outcome.lines[0]["sentence"] == (
        "Added to Radarr in /data/movies with HD-1080p, tags immaculaterr and "
        "immaculaterr-immaculate-taste; search started.")
    assert outcome.services["Radarr"] == {
        "status": "ok", "detail": "2 sent, 0 already there, 0 monitored again, 0 failed"}
    assert radarr.count("POST", r"/api/v3/movie$") == 2
    body = next(r for r in radarr.requests if r.method == "POST" and r.path == "/api/v3/movie")
    assert body.json()["addOptions"] == {"searchForMovie": True}
    assert body.json()["minimumAvailability"] == "released"
    assert set(MissingSend.objects.values_list("state", flat=True)) == {"sent"}
    assert MissingSend.objects.get(tmdb_id=1003).service_id == added["id"]


def test_send_missing_second_run_sends_nothing_new(arr, who):
    radarr = arr["radarr"]
    send(who, NEW)
    radarr.clear()

    outcome = send(who, NEW)

    assert outcome.lines == []
    assert outcome.services["Radarr"] == {
        "status": "ok", "detail": "Nothing new: 2 titles handled by an earlier run."}
    assert radarr.count("POST", r".*") == 0
    assert MissingSend.objects.filter(tmdb_id=1003).get().attempts == 1


def test_send_missing_monitors_an_unmonitored_movie_again(arr, who):
    radarr = arr["radarr"]

    outcome = send(who, [Missing(1019, "Nineteen", 2010), Missing(1000, "Zero", 2000)])

    assert radarr.movie_by_tmdb(1019)["monitored"] is True
    assert [(ln["state"], ln["sentence"]) for ln in outcome.lines] == [
        ("remonitored", "Monitored again in Radarr; search started."),
        ("already_there", "Already in Radarr and monitored.")]
    searched = [c["body"]["movieIds"] for c in radarr.commands_named("MoviesSearch", "manual")]
    assert searched == [[radarr.movie_by_tmdb(1019)["id"]]]
    assert radarr.count("POST", r"/api/v3/movie$") == 0


def test_send_missing_fetch_off_sends_nothing(arr, who):
    off = Routing(fetch_missing=False, route="direct", approval=False, search_now=False)

    outcome = send(who, NEW, off)

    assert (outcome.lines, outcome.services, outcome.writes) == ([], {}, 0)
    assert arr["radarr"].requests == []


def test_send_missing_radarr_down_leaves_titles_to_send_then_sends_once(arr, who):
    radarr = arr["radarr"]
    radarr.down = True

    outcome = send(who, NEW)

    assert outcome.services["Radarr"]["status"] == "failed"
    assert "Radarr" in outcome.services["Radarr"]["detail"]
    assert "2 titles wait for the next run" in outcome.services["Radarr"]["detail"]
    assert list(MissingSend.objects.values_list("state", "attempts")) == [("to_send", 1)] * 2
    radarr.down = False

    again = send(who, NEW)

    assert [ln["state"] for ln in again.lines] == ["sent", "sent"]
    assert radarr.count("POST", r"/api/v3/movie$") == 2
    assert set(MissingSend.objects.values_list("state", flat=True)) == {"sent"}


def test_send_missing_refused_key_fails_naming_radarr(arr, who):
    from vault import integrations

    integrations.save("radarr", True, {**integrations.get_config("radarr").values,
                                       "api_key": "wrong"})

    outcome = send(who, NEW)

    assert outcome.services["Radarr"]["status"] == "failed"
    assert outcome.services["Radarr"]["detail"].startswith("Radarr refused the API key.")
    assert "wrong" not in str(outcome.lines)
    assert set(MissingSend.objects.values_list("state", flat=True)) == {"to_send"}


def test_send_missing_dry_run_writes_nothing_and_lists_requests(arr, who):
    radarr = arr["radarr"]

    outcome = send(who, [Missing(1003, "Three", 2001), Missing(1019, "Nineteen", 2010)],
                   dry_run=True)

    assert [r.method for r in radarr.requests if r.method != "GET"] == []
    assert MissingSend.objects.count() == 0
    post, put = (ln["request"] for ln in outcome.lines)
    assert (post["method"], post["path"], post["body"]["tmdbId"]) == ("POST", "/api/v3/movie", 1003)
    assert post["body"]["rootFolderPath"] == "/data/movies"
    assert [ln["sentence"] for ln in outcome.lines] == [
        "Would be added to Radarr in /data/movies with HD-1080p, tags immaculaterr and "
        "immaculaterr-immaculate-taste; a search would start.",
        "Would be monitored again in Radarr; a search would start."]
    assert outcome.services["Radarr"]["detail"].startswith(
        "1 would be sent, 0 already there, 1 would be monitored again")
    assert put == {"method": "PUT", "path": "/api/v3/movie/editor",
                   "body": {"movieIds": [radarr.movie_by_tmdb(1019)["id"]], "monitored": True}}
    assert outcome.writes == 0


def test_send_missing_without_root_folder_fails_card_and_keeps_titles(arr, who):
    from vault import integrations

    integrations.save("radarr", True, {**integrations.get_config("radarr").values,
                                       "root_folder": ""})

    outcome = send(who, NEW)

    assert outcome.services["Radarr"]["status"] == "failed"
    assert outcome.services["Radarr"]["detail"].startswith(
        "Choose a root folder and quality profile for Radarr in the Vault.")
    assert arr["radarr"].count("POST", r".*") == 0
    assert set(MissingSend.objects.values_list("state", flat=True)) == {"to_send"}


def test_send_missing_movie_exists_validator_is_already_there(arr, who):
    radarr = arr["radarr"]
    # a lookup that misses the movie (Radarr's own race): the add answers MovieExistsValidator
    radarr.fault(status=200, body=b"[]", path=r"/api/v3/movie$", method="GET")

    outcome = send(who, [Missing(1000, "Zero", 2000)])

    assert (outcome.lines[0]["state"], outcome.lines[0]["sentence"]) == (
        "already_there", "Already in Radarr.")
    assert radarr.count("POST", r"/api/v3/movie$") == 1
    assert outcome.services["Radarr"]["status"] == "ok"


def test_send_missing_rate_limited_leaves_the_rest_to_send(arr, who):
    radarr = arr["radarr"]
    radarr.fault(status=429, path=r"/api/v3/movie$", method="POST")

    outcome = send(who, NEW)

    assert [ln["state"] for ln in outcome.lines] == ["to_send", "to_send"]
    assert outcome.services["Radarr"]["status"] == "failed"
    assert "Radarr is rate limiting requests (429)" in outcome.services["Radarr"]["detail"]
    assert radarr.count("POST", r"/api/v3/movie$") == 1
