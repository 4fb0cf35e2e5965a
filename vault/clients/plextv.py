"""A requests session that sends plexapi's plex.tv calls to a configurable address.

plexapi hard-codes https://plex.tv (and https://clients.plex.tv for JWT sign-in). Passing

    PlexServer(url, token, session=PlexTvSession(settings_url))
    MyPlexAccount(token=token, session=PlexTvSession(settings_url))
    MyPlexPinLogin(oauth=True, session=PlexTvSession(settings_url))

lets tests (and air-gapped installs) point those calls at a double or a proxy. With the real
address it is a plain `requests.Session`. Requests to the Plex server itself are untouched.

`ShareFilters` reads and writes the share filters of the accounts a server is shared with, the
way python-plexapi 4.18.3 does (pkkid/python-plexapi, plexapi/myplex.py): `GET /api/users/`
(`MyPlexAccount.users()`, each `MyPlexUser` carrying `filterMovies`, `filterTelevision` and
`filterMusic`) and `PUT /api/v2/sharings/{userId}?filterMovies=…` (`updateFriend`'s
FRIENDUPDATE, which changes only the keys sent). We send the merged string as it is instead of
plexapi's dict form, so conditions of other tools and parental ratings travel back untouched.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import requests
from plexapi import utils
from plexapi.myplex import MyPlexAccount

from vault.clients.errors import translate

FILTER_KEYS = {"movie": "filterMovies", "show": "filterTelevision", "artist": "filterMusic"}
SHARINGS = "https://plex.tv/api/v2/sharings/{user_id}"

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


@dataclass
class Share:
    """One account the server is shared with, and its filter string per section type."""

    plextv_id: int
    title: str
    filters: dict[str, str] = field(default_factory=dict)  # "movie" | "show" | "artist" -> str

    def filter(self, media: str) -> str:
        return self.filters.get(media, "")


class ShareFilters:
    """The owner's plex.tv account, for share filters: one request to list, one per write."""

    def __init__(self, token: str, session: requests.Session, timeout: float | None = None):
        self.requests = 0
        self.writes = 0
        self.timeout = timeout
        with translate("plextv", timeout):
            self.account = MyPlexAccount(token=token, session=session, timeout=timeout)
        self.requests += 1

    @property
    def plex_pass(self) -> bool:
        """Label restrictions need a Plex Pass on the owner's account."""
        return bool(self.account.subscriptionActive) or "plexpass" in (self.account.roles or [])

    def shares(self) -> dict[int, Share]:
        """Every friend and managed user, by plex.tv account id."""
        with translate("plextv", self.timeout):
            users = self.account.users()
        self.requests += 1
        return {int(u.id): Share(int(u.id), u.title or u.username or str(u.id),
                                 {media: getattr(u, key) or "" for media, key in
                                  FILTER_KEYS.items()}) for u in users}

    def write(self, plextv_id: int, filters: dict[str, str]) -> None:
        """Set these section types' filter strings (others stay as they are): one request."""
        args = utils.joinArgs({FILTER_KEYS[media]: value for media, value in filters.items()})
        url = SHARINGS.format(user_id=int(plextv_id)) + args
        with translate("plextv", self.timeout):
            self.account.query(url, self.account._session.put)
        self.requests += 1
        self.writes += 1
