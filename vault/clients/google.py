"""Google Programmable Search (Custom Search JSON API) over the shared HTTP helper."""

from __future__ import annotations

from django.conf import settings

from vault.clients.errors import AuthError, BadResponseError, ServiceError
from vault.clients.http import JsonApi


class GoogleClient:
    service = "google"

    def __init__(self, api_key: str, cx: str, base_url: str | None = None):
        self.api = JsonApi(self.service, base_url or settings.GOOGLE_SEARCH_URL,
                           params={"key": api_key, "cx": cx})

    @property
    def requests(self) -> int:
        return self.api.requests

    def search(self, query: str, num: int = 10, start: int = 1) -> dict:
        """The raw answer: `items` [{title, link, snippet}], `searchInformation`, …"""
        try:
            answer = self.api.get("", params={"q": query, "num": max(1, min(num, 10)),
                                              "start": start}, expect=dict)
        except BadResponseError as exc:
            # Google answers a bad key with 400 "API key not valid", not 401
            if exc.status == 400 and "API key" in exc.message:
                raise AuthError(self.service, "Google Programmable Search refused the API "
                                "key (400). Check the API key in the Vault.", status=400) from exc
            raise
        return answer

    def titles(self, query: str, num: int = 10) -> list[dict]:
        return list(self.search(query, num).get("items") or [])


__all__ = ["GoogleClient", "ServiceError"]
