"""Radarr v3: movies by TMDB id, the whole library, wanted/missing and the bulk editor."""

from __future__ import annotations

from vault.clients.arr import ArrClient, Wanted


class RadarrClient(ArrClient):
    service = "radarr"

    def __init__(self, url: str, api_key: str, **defaults):
        super().__init__(url, api_key, **defaults)

    def movies(self) -> list[dict]:
        """Every movie in Radarr: GET /movie answers the whole library in one (unpaged) list."""
        return self.api.get("movie", expect=list)

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
        """One bulk edit (PUT /movie/editor) for any number of movies."""
        self.api.put("movie/editor", json={"movieIds": list(movie_ids),
                                           "monitored": monitored}, expect=None)

    def search(self, movie_ids: list[int]) -> dict:
        return self.command("MoviesSearch", movieIds=list(movie_ids))

    def search_missing(self) -> dict:
        """MissingMoviesSearch: Radarr searches every missing monitored movie (unbounded)."""
        return self.command("MissingMoviesSearch")

    def missing(self, limit: int) -> Wanted:
        """Up to `limit` missing monitored movies that are available (released per their
        minimum availability), least recently searched first."""
        return self.wanted(limit, keep=lambda m: bool(m.get("isAvailable", True)),
                           sortKey="movies.lastSearchTime", sortDirection="ascending")

    def delete(self, movie_id: int) -> None:
        self.api.delete(f"movie/{int(movie_id)}", expect=None)
