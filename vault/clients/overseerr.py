"""Overseerr / Seerr (v1 API) over the shared HTTP helper."""

from __future__ import annotations

from vault.clients.http import JsonApi


class OverseerrClient:
    service = "overseerr"

    def __init__(self, url: str, api_key: str):
        self.url = url.rstrip("/")
        self.api = JsonApi(self.service, f"{self.url}/api/v1/", headers={"X-Api-Key": api_key})

    @property
    def requests(self) -> int:
        return self.api.requests

    def status(self) -> dict:
        return self.api.get("status", expect=dict)

    def me(self) -> dict:
        return self.api.get("auth/me", expect=dict)

    def users(self, take: int = 100) -> list[dict]:
        return list(self.api.get("user", params={"take": take}, expect=dict).get("results")
                    or [])

    def request_movie(self, tmdb_id: int, user_id: int | None = None) -> dict:
        return self._request({"mediaType": "movie", "mediaId": int(tmdb_id)}, user_id)

    def request_tv(self, tmdb_id: int, seasons: list[int] | str = "all",
                   tvdb_id: int | None = None, user_id: int | None = None) -> dict:
        body = {"mediaType": "tv", "mediaId": int(tmdb_id), "seasons": seasons}
        if tvdb_id:
            body["tvdbId"] = int(tvdb_id)
        return self._request(body, user_id)

    def all_users(self, take: int = 100) -> list[dict]:
        """Every user, page by page (`pageInfo.results` is the total)."""
        users: list[dict] = []
        while True:
            page = self.api.get("user", params={"take": take, "skip": len(users)}, expect=dict)
            found = list(page.get("results") or [])
            users += found
            total = (page.get("pageInfo") or {}).get("results") or 0
            if not found or len(users) >= total:
                return users

    def _request(self, body: dict, user_id: int | None) -> dict:
        # credited in the body: the request, its quota and notifications are that user's
        if user_id:
            body = {**body, "userId": int(user_id)}
        return self.api.post("request", json=body, expect=dict)

    def requests_page(self, take: int = 20, skip: int = 0, filter: str = "all") -> dict:
        return self.api.get("request", params={"take": take, "skip": skip, "filter": filter},
                            expect=dict)

    def delete_request(self, request_id: int) -> None:
        self.api.delete(f"request/{int(request_id)}", expect=None)
