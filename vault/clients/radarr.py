"""Radarr v3: movies by TMDB id."""

from __future__ import annotations

from vault.clients.arr import ArrClient


class RadarrClient(ArrClient):
    service = "radarr"

    def __init__(self, url: str, api_key: str, **defaults):
        super().__init__(url, api_key, **defaults)

    def movie(self, tmdb_id: int) -> dict | None:
        found = self.api.get("movie", params={"tmdbId": int(tmdb_id)}, expect=list)
        return found[0] if found else None

    def lookup(self, tmdb_id: int) -> dict:
        return self.api.get("movie/lookup/tmdb", params={"tmdbId": int(tmdb_id)}, expect=dict,
                            not_found="that TMDB id")

    def add(self, movie: dict) -> dict:
        return self.api.post("movie", json=movie, expect=dict)

    def update(self, movie: dict) -> dict:
        return self.api.put(f"movie/{movie['id']}", json=movie, expect=dict)

    def set_monitored(self, movie_ids: list[int], monitored: bool) -> None:
        self.api.put("movie/editor", json={"movieIds": movie_ids, "monitored": monitored},
                     expect=None)

    def search(self, movie_ids: list[int]) -> dict:
        return self.command("MoviesSearch", movieIds=movie_ids)

    def delete(self, movie_id: int) -> None:
        self.api.delete(f"movie/{int(movie_id)}", expect=None)
