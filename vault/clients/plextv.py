"""A requests session that sends plexapi's plex.tv calls to a configurable address.

plexapi hard-codes https://plex.tv (and https://clients.plex.tv for JWT sign-in). Passing

    PlexServer(url, token, session=PlexTvSession(settings_url))
    MyPlexAccount(token=token, session=PlexTvSession(settings_url))
    MyPlexPinLogin(oauth=True, session=PlexTvSession(settings_url))

lets tests (and air-gapped installs) point those calls at a double or a proxy. With the real
address it is a plain `requests.Session`. Requests to the Plex server itself are untouched.
"""

from __future__ import annotations

import requests

PLEX_TV = "https://plex.tv"
PLEX_TV_ORIGINS = ("https://plex.tv", "https://clients.plex.tv")


class PlexTvSession(requests.Session):
    def __init__(self, plextv_url: str = PLEX_TV):
        super().__init__()
        self.plextv_url = plextv_url.rstrip("/")

    def rewrite(self, url: str) -> str:
        """The address to really use for `url`."""
        if self.plextv_url == PLEX_TV:
            return url
        for origin in PLEX_TV_ORIGINS:
            if url == origin or url.startswith((origin + "/", origin + "?")):
                return self.plextv_url + url[len(origin):]
        return url

    def request(self, method, url, *args, **kwargs):
        return super().request(method, self.rewrite(str(url)), *args, **kwargs)
