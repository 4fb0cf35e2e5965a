"""Sonarr v3: series by TVDB id."""

from __future__ import annotations

from vault.clients.arr import ArrClient


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
        self.api.put("episode/monitor", json={"episodeIds": episode_ids,
                                              "monitored": monitored}, expect=None)

    def language_profiles(self) -> list[dict]:
        return self.api.get("languageprofile", expect=list)

    def delete(self, series_id: int) -> None:
        self.api.delete(f"series/{int(series_id)}", expect=None)
