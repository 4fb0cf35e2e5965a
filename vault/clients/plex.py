"""Plex through plexapi: the server connection, and "Sign in with Plex" (plex.tv PIN flow,
then one of the account's servers and one of its connections).

Every plexapi object here gets the pooled session from vault.clients.http, which also sends
plexapi's hard-coded https://plex.tv calls to settings.PLEX_TV_URL (PlexTvSession).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from plexapi.myplex import MyPlexAccount, MyPlexPinLogin
from plexapi.server import PlexServer

from vault.clients import http
from vault.clients.errors import BadResponseError, translate

PRODUCT = "Immaculaterr"


def connect(url: str, token: str) -> PlexServer:
    """A PlexServer (one request: GET /); typed errors on failure."""
    with translate("plex", http.timeout()):
        return PlexServer(url, token, session=http.session("plex"), timeout=http.timeout())


def library_sections(server: PlexServer) -> list:
    """The raw <Directory> elements of /library/sections (one request)."""
    with translate("plex", http.timeout()):
        data = server.query("/library/sections")
    if data is None:
        raise BadResponseError("plex", "Plex sent an empty answer for its library list.")
    return [el for el in data if el.tag == "Directory"]


def _headers(client_id: str) -> dict:
    return {"X-Plex-Client-Identifier": client_id, "X-Plex-Product": PRODUCT,
            "X-Plex-Device-Name": PRODUCT}


def _pin_login(client_id: str) -> MyPlexPinLogin:
    return MyPlexPinLogin(session=http.session("plextv"), requestTimeout=http.timeout(),
                          headers=_headers(client_id), oauth=True)


@dataclass
class Pin:
    id: str
    code: str
    auth_url: str


def start_pin(client_id: str, forward_url: str | None = None) -> Pin:
    """Ask plex.tv for a PIN; the user approves it at `auth_url`."""
    login = _pin_login(client_id)
    with translate("plextv", http.timeout()):
        url = login.oauthUrl(forward_url)
    return Pin(str(login._id), str(login._code), url)


def check_pin(client_id: str, pin_id: str, code: str) -> str | None:
    """The account token once the user approved the PIN, else None."""
    login = _pin_login(client_id)
    login._id, login._code = pin_id, code  # resume the PIN made by an earlier request
    with translate("plextv", http.timeout()):
        return login.token if login._checkLogin() else None


@dataclass
class Connection:
    uri: str
    local: bool
    relay: bool
    protocol: str

    @property
    def label(self) -> str:
        where = "relay" if self.relay else ("local" if self.local else "remote")
        return f"{self.uri} ({where})"


@dataclass
class ServerChoice:
    name: str
    client_identifier: str
    owned: bool
    access_token: str = field(repr=False)
    connections: list[Connection] = field(default_factory=list)


def account_servers(token: str) -> list[ServerChoice]:
    """The servers this plex.tv account can reach, local connections first."""
    with translate("plextv", http.timeout()):
        account = MyPlexAccount(token=token, session=http.session("plextv"),
                                timeout=http.timeout())
        resources = account.resources()
    found = []
    for r in resources:
        if "server" not in (r.provides or ""):
            continue
        conns = [Connection(c.uri, bool(c.local), bool(c.relay), c.protocol)
                 for c in r.connections]
        conns.sort(key=lambda c: (not c.local, c.relay))
        found.append(ServerChoice(r.name, r.clientIdentifier, bool(r.owned),
                                  r.accessToken or token, conns))
    return found
