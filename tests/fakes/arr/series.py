"""Sonarr's series and episode shapes for the Sonarr double, following Sonarr's source.

Series metadata as `series/lookup` answers it, episode air dates (weekly, a season a year),
which episodes `addOptions.monitor` keeps monitored (EpisodeMonitoredService) and the
statistics Sonarr recomputes from the episodes.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from tests.fakes.catalog import Title


def air_date(t: Title, season: int, episode: int) -> date:
    return date.fromisoformat(t.release_date) + timedelta(days=365 * (season - 1)
                                                          + 7 * (episode - 1))


def monitor_rule(monitor: str, first: int, last: int):
    """Which episodes `addOptions.monitor` keeps monitored (Sonarr's EpisodeMonitoredService);
    None means "follow each season's own flag"."""
    today = date.today().isoformat()
    rules = {
        "all": lambda e: True,
        "future": lambda e: e["airDate"] >= today,
        "missing": lambda e: not e["hasFile"],
        "existing": lambda e: e["hasFile"],
        "pilot": lambda e: e["seasonNumber"] == first and e["episodeNumber"] == 1,
        "firstSeason": lambda e: e["seasonNumber"] == first,
        "lastSeason": lambda e: e["seasonNumber"] == last,
        "latestSeason": lambda e: e["seasonNumber"] == last,
        "none": lambda e: False,
    }
    return rules.get(monitor)


def series_metadata(t: Title) -> dict:
    """TVDB's facts without an `id`: what lookup answers for a series Sonarr does not have,
    and what a stored series starts from."""
    poster = f"https://artworks.thetvdb.com/banners/posters/{t.tvdb_id}-1.jpg"
    last = air_date(t, t.seasons, t.episodes_per_season)
    ended = t.tmdb_id % 2 == 1
    return {
        "title": t.title, "sortTitle": t.title.lower(), "overview": t.overview,
        "status": "upcoming" if t.upcoming else ("ended" if ended else "continuing"),
        "ended": ended and not t.upcoming, "network": "Double TV", "airTime": "21:00",
        "images": [{"coverType": "poster", "url": poster, "remoteUrl": poster}],
        "remotePoster": poster, "originalLanguage": {"id": 1, "name": "English"},
        "seasons": [{"seasonNumber": n, "monitored": True} for n in range(1, t.seasons + 1)],
        "year": t.year, "qualityProfileId": 0, "languageProfileId": 1,
        "seasonFolder": True, "monitored": True, "monitorNewItems": "all",
        "useSceneNumbering": False, "runtime": t.runtime_minutes, "tvdbId": t.tvdb_id,
        "tvRageId": 0, "tvMazeId": 0, "tmdbId": t.tmdb_id,
        "firstAired": f"{t.release_date}T00:00:00Z", "lastAired": f"{last}T00:00:00Z",
        "seriesType": "standard", "cleanTitle": t.title.lower().replace(" ", ""),
        "imdbId": t.imdb_id, "titleSlug": re.sub(r"\W+", "-", t.title.lower()),
        "folder": t.title, "certification": "TV-14", "genres": list(t.genres.values()),
        "tags": [], "added": "0001-01-01T00:00:00Z",
        "ratings": {"votes": t.vote_count, "value": t.vote_average},
        "statistics": {"seasonCount": t.seasons, "episodeFileCount": 0, "episodeCount": 0,
                       "totalEpisodeCount": 0, "sizeOnDisk": 0, "percentOfEpisodes": 0.0},
    }


def episode_stats(eps: list[dict]) -> dict:
    """Season or series statistics over its episodes, as Sonarr recomputes them."""
    files = sum(e["hasFile"] for e in eps)
    counted = sum(e["monitored"] or e["hasFile"] for e in eps)
    return {"episodeFileCount": files, "episodeCount": counted,
            "totalEpisodeCount": len(eps), "sizeOnDisk": files * 700_000_000,
            "percentOfEpisodes": round(100.0 * files / counted, 1) if counted else 0.0}


def language_profile(pid: int, name: str, language: str) -> dict:
    return {"id": pid, "name": name, "upgradeAllowed": False,
            "cutoff": {"id": pid, "name": language},
            "languages": [{"language": {"id": pid, "name": language}, "allowed": True}]}


# Sonarr v3's own profiles; v4 keeps one "Deprecated" profile (LANGUAGE_PROFILE in sonarr.py).
V3_LANGUAGE_PROFILES = [language_profile(1, "English", "English"),
                        language_profile(2, "Original", "Original")]
