"""Every answer the doubles give for the operations the product uses validates against the
published OpenAPI extracts (schemas/*.json), over realistic sequences."""

import pytest

from tests.fidelity.arr.api import Api
from tests.fidelity.arr.openapi import validate_request, validate_response


def test_radarr_answers_validate_over_add_edit_command_delete(radarr, catalog):
    api = Api(radarr, "radarr-key")
    t = next(m for m in catalog.movies if not radarr.movie_by_tmdb(m.tmdb_id))
    for path in ("/api/v3/system/status", "/api/v3/rootfolder", "/api/v3/qualityprofile",
                 "/api/v3/tag", "/api/v3/movie"):
        api.get(path)
    found = api.get("/api/v3/movie/lookup/tmdb", params={"tmdbId": t.tmdb_id}).json()
    api.post("/api/v3/tag", json={"label": "immaculaterr"})
    movie = api.post("/api/v3/movie", json={
        **found, "qualityProfileId": 4, "rootFolderPath": "/data/movies", "monitored": True,
        "minimumAvailability": "released", "tags": [1],
        "addOptions": {"searchForMovie": True, "monitor": "movieOnly"}}).json()
    api.get("/api/v3/movie", params={"tmdbId": t.tmdb_id})
    api.put(f"/api/v3/movie/{movie['id']}", json={**movie, "monitored": False})
    api.put("/api/v3/movie/editor", json={"movieIds": [movie["id"]], "monitored": True})
    api.post("/api/v3/command", json={"name": "MoviesSearch", "movieIds": [movie["id"]]})
    api.get(f"/api/v3/movie/{movie['id']}")
    api.delete(f"/api/v3/movie/{movie['id']}")

    assert (radarr.count(), radarr.answer_violations, radarr.schema_violations) == (14, [], [])


def test_sonarr_answers_validate_over_lookup_add_episodes_command(sonarr, catalog):
    api = Api(sonarr, "sonarr-key")
    t = next(s for s in catalog.shows if not sonarr.series_by_tvdb(s.tvdb_id))
    for path in ("/api/v3/system/status", "/api/v3/rootfolder", "/api/v3/qualityprofile",
                 "/api/v3/tag", "/api/v3/series"):
        api.get(path)
    found = api.get("/api/v3/series/lookup", params={"term": f"tvdb:{t.tvdb_id}"}).json()[0]
    series = api.post("/api/v3/series", json={
        **found, "qualityProfileId": 4, "rootFolderPath": "/data/tv", "monitored": True,
        "seasonFolder": True,
        "addOptions": {"searchForMissingEpisodes": True, "monitor": "all"}}).json()
    api.put(f"/api/v3/series/{series['id']}", json={**series, "monitored": False})
    episodes = api.get("/api/v3/episode", params={"seriesId": series["id"]}).json()
    api.put("/api/v3/episode/monitor", json={"episodeIds": [episodes[0]["id"]],
                                             "monitored": True})
    api.post("/api/v3/command", json={"name": "EpisodeSearch",
                                      "episodeIds": [episodes[0]["id"]]})
    api.get(f"/api/v3/series/{series['id']}")

    assert (sonarr.count(), sonarr.answer_violations, sonarr.schema_violations) == (12, [], [])


def test_overseerr_answers_validate_over_users_requests_delete(overseerr, catalog):
    api = Api(overseerr, "overseerr-key")
    movie = next(m for m in catalog.movies if ("movie", m.tmdb_id) not in overseerr.media)
    show = next(s for s in catalog.shows
                if not s.in_plex and ("tv", s.tmdb_id) not in overseerr.media)
    for path in ("/api/v1/status", "/api/v1/auth/me", "/api/v1/user"):
        api.get(path)
    made = api.post("/api/v1/request", json={"mediaType": "movie", "mediaId": movie.tmdb_id,
                                             "userId": 2}).json()
    api.post("/api/v1/request", json={"mediaType": "tv", "mediaId": show.tmdb_id,
                                      "tvdbId": show.tvdb_id, "seasons": "all", "userId": 3})
    api.get("/api/v1/request", params={"take": 10, "skip": 0})
    api.delete(f"/api/v1/request/{made['id']}")

    assert (overseerr.count(), overseerr.answer_violations,
            overseerr.schema_violations) == (7, [], [])


@pytest.mark.schema_violation
def test_bad_radarr_body_is_recorded_on_the_double(radarr):
    api = Api(radarr, "radarr-key")

    api.post("/api/v3/movie", json={"tmdbId": "603", "monitored": "yes"})

    assert radarr.schema_violations == [
        "radarr POST /api/v3/movie request monitored: 'yes' is not of type 'boolean'",
        "radarr POST /api/v3/movie request tmdbId: '603' is not of type 'integer'"]


def test_loader_matches_literal_paths_before_templates():
    body = {"movieIds": ["x"], "monitored": True}

    assert validate_request("radarr", "PUT", "/api/v3/movie/editor", body) == [
        "radarr PUT /api/v3/movie/editor request movieIds/0: 'x' is not of type 'integer'"]
    assert validate_response("overseerr", "DELETE", "/api/v1/request/7", 204, None) == []
