"""Sonarr v3: series by TVDB id, episodes, wanted/missing and episode-level monitoring."""

from __future__ import annotations

from vault.clients.arr import ArrClient, Wanted

MONITOR_BATCH = 500  # episode ids per PUT /episode/monitor


class SonarrClient(ArrClient):
    service = "sonarr"

    def __init__(self, url: str, api_key: str, **defaults):
        super().__init__(url, api_key, **defaults)

    def lookup(self, tvdb_id: int) -> list[dict]:
        return self.api.get("series/lookup", params={"term": f"tvdb:{int(tvdb_id)}"},
                            expect=list)

    def series(self, tvdb_id: int | None = None) -> list[dict]:
        params = {"tvdbId": int(tvdb_id)} if tvdb_id is not None else None
        return self.api.get("series", params=params, expect=list)

    def add(self, series: dict) -> dict:
        return self.api.post("series", json=series, expect=dict)

    def update(self, series: dict) -> dict:
        return self.api.put(f"series/{series['id']}", json=series, expect=dict)

    def episodes(self, series_id: int) -> list[dict]:
        return self.api.get("episode", params={"seriesId": int(series_id)}, expect=list)

    def set_episodes_monitored(self, episode_ids: list[int], monitored: bool) -> None:
        """PUT /episode/monitor in batches of MONITOR_BATCH ids; the series is untouched."""
        ids = list(episode_ids)
        for start in range(0, len(ids), MONITOR_BATCH):
            self.api.put("episode/monitor", json={"episodeIds": ids[start:start + MONITOR_BATCH],
                                                  "monitored": monitored}, expect=None)

    def search_episodes(self, episode_ids: list[int]) -> dict:
        return self.command("EpisodeSearch", episodeIds=list(episode_ids))

    def search_series(self, series_id: int) -> dict:
        return self.command("SeriesSearch", seriesId=int(series_id))

    def search_missing(self, series_id: int | None = None) -> dict:
        """MissingEpisodeSearch: every missing monitored episode (of one series if given)."""
        body = {"seriesId": int(series_id)} if series_id is not None else {}
        return self.command("MissingEpisodeSearch", **body)

    def missing(self, limit: int) -> Wanted:
        """Up to `limit` missing monitored episodes (aired, no file, in a monitored series),
        least recently searched first, each with its series."""
        return self.wanted(limit, sortKey="episodes.lastSearchTime", sortDirection="ascending",
                           includeSeries="true")

    def language_profiles(self) -> list[dict]:
        return self.api.get("languageprofile", expect=list)

    def delete(self, series_id: int) -> None:
        self.api.delete(f"series/{int(series_id)}", expect=None)
