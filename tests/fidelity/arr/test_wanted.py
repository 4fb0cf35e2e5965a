"""Wanted/missing, the unpaged movie listing, the bulk editor and the search commands of the
Radarr and Sonarr doubles, as MissingController, MovieEditorController and the search services
of both apps behave; every answer validates against the OpenAPI extracts."""

from tests.fidelity.arr.api import Api


def test_radarr_missing_pages_monitored_movies_without_files(radarr):
    api = Api(radarr, "radarr-key")
    for t in radarr.catalog.movies[60:66]:
        radarr.seed_movie(t, monitored=True, has_file=False)
    want = sorted((m for m in radarr.movies.values() if m["monitored"] and not m["hasFile"]),
                  key=lambda m: (m["sortTitle"], m["id"]))

    first = api.get("/api/v3/wanted/missing", params={
        "page": 1, "pageSize": 2, "sortKey": "movieMetadata.sortTitle",
        "sortDirection": "ascending"}).json()
    second = api.get("/api/v3/wanted/missing", params={
        "page": 2, "pageSize": 2, "sortKey": "movieMetadata.sortTitle",
        "sortDirection": "ascending"}).json()
    unmonitored = api.get("/api/v3/wanted/missing", params={"monitored": "false"}).json()

    assert first["totalRecords"] == len(want) >= 3
    assert [m["id"] for m in first["records"] + second["records"]] == [m["id"] for m in want[:4]]
    assert (first["page"], first["pageSize"], first["sortDirection"]) == (1, 2, "ascending")
    assert {m["monitored"] for m in unmonitored["records"]} == {False}
    assert (radarr.answer_violations, radarr.schema_violations) == ([], [])


def test_radarr_missing_defaults_are_the_controllers(radarr):
    """No sortDirection is descending (PagingResource's default); an unknown sortKey falls back
    to sortTitle; the page size defaults to 10."""
    answer = Api(radarr, "radarr-key").get("/api/v3/wanted/missing",
                                           params={"sortKey": "title"}).json()

    assert (answer["sortKey"], answer["sortDirection"], answer["pageSize"]) == (
        "movieMetadata.sortTitle", "descending", 10)
    titles = [m["sortTitle"] for m in answer["records"]]
    assert titles == sorted(titles, reverse=True)


def test_radarr_lists_every_movie_and_edits_many_in_one_request(radarr):
    api = Api(radarr, "radarr-key")
    for t in radarr.catalog.movies[40:60]:
        radarr.seed_movie(t, monitored=True)
    every = api.get("/api/v3/movie").json()
    ids = [m["id"] for m in every if m["monitored"]]

    edited = api.put("/api/v3/movie/editor", json={"movieIds": ids, "monitored": False})

    assert len(every) == len(radarr.movies) > 20
    assert edited.status_code == 202 and len(edited.json()) == len(ids)
    assert not any(m["monitored"] for m in radarr.movies.values())
    assert (radarr.answer_violations, radarr.schema_violations) == ([], [])


def test_radarr_search_commands_stamp_last_search_time(radarr):
    api = Api(radarr, "radarr-key")
    missing = [m for m in radarr.movies.values() if m["monitored"] and not m["hasFile"]]

    one = api.post("/api/v3/command", json={"name": "MoviesSearch",
                                            "movieIds": [missing[0]["id"]]})
    assert one.status_code == 201 and one.json()["body"]["movieIds"] == [missing[0]["id"]]
    assert [m["id"] for m in missing if m["lastSearchTime"]] == [missing[0]["id"]]
    api.post("/api/v3/command", json={"name": "MissingMoviesSearch"})

    assert all(m["lastSearchTime"] for m in missing)
    assert [c["name"] for c in radarr.commands] == ["MoviesSearch", "MissingMoviesSearch"]
    assert (radarr.answer_violations, radarr.schema_violations) == ([], [])


def test_sonarr_missing_is_aired_monitored_episodes_of_monitored_series(sonarr):
    api = Api(sonarr, "sonarr-key")

    answer = api.get("/api/v3/wanted/missing", params={
        "page": 1, "pageSize": 1000, "includeSeries": "true"}).json()

    want = sonarr.missing(True)
    assert answer["totalRecords"] == len(want) > 0
    assert {e["id"] for e in answer["records"]} == {e["id"] for e in want}
    for e in answer["records"]:
        assert not e["hasFile"] and e["monitored"] and e["series"]["monitored"]
        assert e["series"]["id"] == e["seriesId"]
    aired = [e["airDateUtc"] for e in answer["records"]]
    assert aired == sorted(aired, reverse=True)  # no sortDirection: descending
    assert (sonarr.answer_violations, sonarr.schema_violations) == ([], [])


def test_sonarr_episode_search_and_episode_monitor_leave_the_series_alone(sonarr):
    api = Api(sonarr, "sonarr-key")
    wanted = sonarr.missing(True)[:3]
    series = {e["seriesId"] for e in wanted}

    api.post("/api/v3/command", json={"name": "EpisodeSearch",
                                      "episodeIds": [e["id"] for e in wanted]})
    api.put("/api/v3/episode/monitor", json={"episodeIds": [e["id"] for e in wanted],
                                             "monitored": False})
    later = api.get("/api/v3/wanted/missing", params={"pageSize": 1000}).json()

    assert all(sonarr.episodes[e["id"]]["lastSearchTime"] for e in wanted)
    assert not {e["id"] for e in wanted} & {e["id"] for e in later["records"]}
    assert all(sonarr.series[s]["monitored"] for s in series)
    assert (sonarr.answer_violations, sonarr.schema_violations) == ([], [])
