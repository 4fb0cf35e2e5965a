"""Plex through plexapi: the server connection, and "Sign in with Plex" (plex.tv PIN flow,
then one of the account's servers and one of its connections).

Every plexapi object here gets the pooled session from vault.clients.http, which also sends
plexapi's hard-coded https://plex.tv calls to settings.PLEX_TV_URL (PlexTvSession).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from xml.etree.ElementTree import XMLPullParser

from plexapi import X_PLEX_CONTAINER_SIZE, utils
from plexapi.exceptions import BadRequest, NotFound, Unauthorized
from plexapi.myplex import MyPlexAccount, MyPlexPinLogin
from plexapi.server import PlexServer

from vault.clients import http
from vault.clients.errors import BadResponseError, NotFoundError, translate

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


# the item index: listings read as a stream ------------------------------------------------------
STREAM_CHUNK = 64 * 1024


def listing(server: PlexServer, path: str, headers: dict | None = None,
            what: str = "a listing") -> Iterator:
    """A listing's <MediaContainer> (attributes only: totalSize, size), then each child element
    as soon as its end tag is parsed: one request, like server.query, but the answer is parsed
    from the socket in STREAM_CHUNK pieces and each yielded element is dropped from the tree, so
    a page of 1,000 items never sits whole in memory (as text, bytes and an ElementTree, it was
    ~25 MB of Python objects per page). Errors are typed like server.query's."""
    with translate("plex", http.timeout()):
        response = server._session.get(server.url(path), headers=server._headers(
            **headers or {}), timeout=http.timeout(), stream=True)
        with response:
            if response.status_code not in (200, 201, 204):
                _raise_for_status(response)
            parser = XMLPullParser(events=("start", "end"))
            root, depth = None, 0
            for chunk in response.iter_content(STREAM_CHUNK):
                parser.feed(chunk)
                for event, element in parser.read_events():
                    depth += 1 if event == "start" else -1
                    if root is None:
                        root = element
                        yield root
                    elif event == "end" and depth == 1:
                        yield element
                        del root[:]  # the parser keeps building the elements still open
            if root is None:
                raise BadResponseError("plex", f"Plex sent an empty answer for {what}.")
            parser.close()


def _raise_for_status(response) -> None:
    """plexapi's server.query errors for a failed answer (the translation maps them)."""
    message = f"({response.status_code}) {response.reason}; {response.url}"
    if response.status_code == 401:
        raise Unauthorized(message)
    if response.status_code == 404:
        raise NotFound(message)
    raise BadRequest(message)


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


# media versions (the duplicate cleanup) -------------------------------------------------------
METADATA_BATCH = 100  # ratingKeys per /library/metadata/{k1,k2,…} request


def _raw(server: PlexServer, path: str, what: str, headers: dict | None = None):
    with translate("plex", http.timeout()):
        data = server.query(path, headers=headers)
    if data is None:
        raise BadResponseError("plex", f"Plex sent an empty answer for {what}.")
    return data


def full_items(server: PlexServer, rating_keys: list[int]) -> list:
    """The full <Video> elements (with each Part's <Stream>s, which carry HDR) of these items,
    METADATA_BATCH per request (`/library/metadata/1,2,3`, as plexapi's fetchItems(ekey=list)
    asks). Items Plex no longer has are simply absent."""
    keys = sorted({int(k) for k in rating_keys})
    found = []
    for i in range(0, len(keys), METADATA_BATCH):
        chunk = ",".join(str(k) for k in keys[i:i + METADATA_BATCH])
        try:
            data = _raw(server, f"/library/metadata/{chunk}", "those items")
        except NotFoundError:
            continue
        found += [el for el in data if el.get("ratingKey")]
    return found


def episodes_of(server: PlexServer, show_key: int) -> list:
    """Every episode element of a show (one request: /library/metadata/{key}/allLeaves)."""
    data = _raw(server, f"/library/metadata/{int(show_key)}/allLeaves", "a show's episodes")
    return [el for el in data if el.get("ratingKey")]


def library_episodes(server: PlexServer, section_key: str, page_size: int = 1000) -> list:
    """Every episode element of a show library, read in pages (`?type=4`)."""
    found, start = [], 0
    while True:
        headers = {"X-Plex-Container-Start": str(start),
                   "X-Plex-Container-Size": str(page_size)}
        data = _raw(server, f"/library/sections/{section_key}/all?type=4", "the episodes",
                    headers)
        raw = [el for el in data if el.tag != "Meta"]
        found += [el for el in raw if el.get("ratingKey")]
        start += len(raw)
        total = data.get("totalSize")
        if len(raw) < page_size or (total is not None and start >= int(total)):
            return found


def media_deletion_allowed(server: PlexServer) -> bool:
    """The server's "Allow media deletion" setting, as its root `/` reports it
    (allowMediaDeletion; plexapi PlexServer.allowMediaDeletion)."""
    return bool(getattr(server, "allowMediaDeletion", False))


def delete_media(server: PlexServer, rating_key: int, media_id: int) -> None:
    """Delete one media version (and its file) of an item: plexapi's Media.delete() request,
    DELETE /library/metadata/{ratingKey}/media/{mediaId}. A server that does not allow
    deletion answers 400 (raised as a typed error)."""
    with translate("plex", http.timeout()):
        server.query(f"/library/metadata/{int(rating_key)}/media/{int(media_id)}",
                     method=server._session.delete)


def history(server: PlexServer, account_id: int | None, section_key: int | None,
            since: datetime | None = None, limit: int = 2000) -> list:
    """The elements of one account's watch history in one section, newest first, from the
    requests plexapi's PlexServer.history sends (its key, and the paging of
    plexapi.base.fetchItems): for a caller that needs only their attributes, without building
    a plexapi object per entry (about half of each read's time in a 50-viewer sweep)."""
    args = {"sort": "viewedAt:desc"}
    if account_id:
        args["accountID"] = account_id
    if section_key:
        args["librarySectionID"] = section_key
    if since:
        args["viewedAt>"] = int(since.timestamp())
    key = f"/status/sessions/history/all{utils.joinArgs(args)}"
    entries: list = []
    start, size = 0, min(X_PLEX_CONTAINER_SIZE, limit)
    while True:
        data = _raw(server, key, "the watch history", {"X-Plex-Container-Start": str(start),
                                                       "X-Plex-Container-Size": str(size)})
        page = list(data)
        total = int(data.get("totalSize") or data.get("size") or 0) or len(page)
        entries.extend(page)
        start += size
        wanted = min(limit, total)
        if start > total or wanted <= len(entries):
            return entries
        size = min(size, wanted - len(entries))
