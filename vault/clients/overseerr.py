"""Overseerr / Seerr (v1 API) over the shared HTTP helper."""

from __future__ import annotations

from vault.clients.errors import AuthError, from_exception, malformed
from vault.clients.http import JsonApi, check, session, timeout


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
        self.api.requests += 1
        try:
            response = session(self.service).request("POST", self.api.url("request"),
                                                     json=body, headers=self.api.headers)
        except Exception as exc:  # noqa: BLE001 - becomes a typed error
            raise from_exception(self.service, exc, timeout()) from exc
        if response.status_code == 403:  # quota or permission: Overseerr's own sentence
            raise AuthError(self.service, _message(response) or "Overseerr refused the "
                            "request (403).", status=403)
        check(self.service, response)
        try:
            return response.json() if response.content else {}
        except ValueError as exc:
            raise malformed(self.service, "not valid JSON") from exc

    def requests_page(self, take: int = 20, skip: int = 0, filter: str = "all") -> dict:
        return self.api.get("request", params={"take": take, "skip": skip, "filter": filter},
                            expect=dict)

    def delete_request(self, request_id: int) -> None:
        self.api.delete(f"request/{int(request_id)}", expect=None)


def _message(response) -> str:
    try:
        body = response.json()
    except ValueError:
        return ""
    text = body.get("message") if isinstance(body, dict) else ""
    return text[:200] if isinstance(text, str) else ""
