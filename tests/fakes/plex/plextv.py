"""A plex.tv double: the owner's account, PIN sign-in, server discovery, shared users and the
share filters (label and rating restrictions) of each of them.

Reach it from plexapi through `vault.clients.plextv.PlexTvSession(plextv.url)`, which sends
requests for https://plex.tv there. PINs stay unclaimed until a test calls `authorize_pin`, or
until they have been polled `auto_authorize_after` times (None: never).

Share filters, as python-plexapi 4.18.3 reads and writes them (pkkid/python-plexapi,
plexapi/myplex.py): `GET /api/users/` lists every friend and managed user with the strings
`filterMovies`, `filterTelevision` and `filterMusic` (one per section type, applied to every
library of that type shared with them; `MyPlexUser._loadData`), and `updateFriend` changes them
with `PUT /api/v2/sharings/{userId}?filterMovies=…` (its FRIENDUPDATE), sending only the keys it
changes: the others stay as they were. A string is conditions such as `contentRating!=R` or
`label!=foo`, joined by `|` (plexapi's `_filterDictToStr`, values of one condition joined by
`%2C`) or by `,` (the form stevezau/shortlist's docs/plex-per-user-collections.md shows, e.g.
`contentRating!=R,label!=picks_bob`); `excluded_labels` reads both. Each shared account also
gets a server token of its own (`account_token`), which the server double accepts for reads and
answers as that account (hubs.py). Every filter write lands in the server double's `timeline`,
next to its promotions, so a test can check the order of the two.
"""

from __future__ import annotations

import hashlib
import itertools
import re
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from tests.fakes.base import FakeServer, Request, Response, route
from tests.fakes.plex.accounts import ACCOUNTS, OWNER
from tests.fakes.plex.xml import XML, container, sub, xml_response

JOINED_AT = 1577836800  # 2020-01-01
FILTER_KEYS = ("filterMovies", "filterTelevision", "filterMusic")
SECTION_FILTER = {"movie": "filterMovies", "show": "filterTelevision", "artist": "filterMusic"}


def filter_conditions(value: str) -> list[tuple[str, str, list[str]]]:
    """(field, operator, values) of a share filter string in either separator style."""
    conditions: list[tuple[str, str, list[str]]] = []
    for token in re.split(r"[|,]|%2C", value or "", flags=re.IGNORECASE):
        token = unquote(token.strip())
        match = re.fullmatch(r"(\w+)(!?=)(.*)", token)
        if match:
            conditions.append((match[1], match[2], [match[3]]))
        elif token and conditions:  # another value of the condition before
            conditions[-1][2].append(token)
    return conditions


def excluded_labels(value: str) -> set[str]:
    return {v for f, op, vals in filter_conditions(value) if f == "label" and op == "!="
            for v in vals}


@dataclass
class Pin:
    id: int
    code: str
    client_identifier: str
    product: str
    created_at: int
    polls: int = 0
    auth_token: str | None = None


class PlexTvDouble(FakeServer):
    name = "plextv"

    def __init__(self, plex, token: str = "plex-token", host: str = "127.0.0.1", port: int = 0):
        super().__init__(host, port)
        self.plex = plex  # the PlexServerDouble this account owns
        self.token = token
        self.auto_authorize_after: int | None = None
        self.pins: dict[int, Pin] = {}
        self._pin_ids = itertools.count(81_000_001)
        self.plex_pass = True  # the owner's subscription (label restrictions need it)
        self.accounts = [a for a in ACCOUNTS if a.kind != "owner"]  # who the server is shared with
        self.filters: dict[int, dict[str, str]] = {a.plextv_id: dict.fromkeys(FILTER_KEYS, "")
                                                   for a in self.accounts}
        plex.plextv = self  # the server double answers each account's token through us

    # share filters -------------------------------------------------------------------------
    def account_token(self, account_id: int) -> str:
        """The server token plex.tv hands this shared account (its own, never the owner's)."""
        return f"{self.token}-account-{int(account_id)}"

    def account_for_token(self, token: str | None) -> int | None:
        with self.lock:
            return next((a.id for a in self.accounts if token == self.account_token(a.id)),
                        None)

    def add_account(self, account) -> None:
        """Share the server with one more account (a tests.fakes.plex.accounts.Account)."""
        with self.lock:
            self.accounts.append(account)
            self.filters[account.plextv_id] = dict.fromkeys(FILTER_KEYS, "")

    def set_filter(self, account_id: int, key: str, value: str) -> None:
        with self.lock:
            self.filters[int(account_id)][key] = value

    def filter_for(self, account_id: int, section_type: str) -> str:
        with self.lock:
            return self.filters.get(int(account_id), {}).get(SECTION_FILTER.get(section_type,
                                                                                ""), "")

    def filter_writes(self) -> int:
        return self.count("PUT", "/api/v2/sharings/")

    # helpers for tests -----------------------------------------------------------------------
    def authorize_pin(self, pin_id: int, token: str | None = None) -> None:
        """The user approved the sign-in in their browser."""
        with self.lock:
            self.pins[int(pin_id)].auth_token = token or self.token

    def last_pin(self) -> Pin | None:
        with self.lock:
            return self.pins[max(self.pins)] if self.pins else None

    # transport -------------------------------------------------------------------------------
    def authorize(self, req: Request) -> Response | None:
        if req.path.startswith("/api/v2/pins"):
            return None  # PIN sign-in is how a client gets a token in the first place
        token = req.headers.get("x-plex-token") or req.query.get("X-Plex-Token")
        if token != self.token:
            return Response(401, '<?xml version="1.0" encoding="UTF-8"?><errors><error '
                                 'code="1001" message="User could not be authenticated" '
                                 'status="401"/></errors>', content_type=XML)
        return None

    def error_body(self, status: int | None):
        return f'<errors><error status="{status}" message="HTTP {status}"/></errors>'

    # account ---------------------------------------------------------------------------------
    @route("GET", r"/api/v2/user/?")
    def _user(self, req: Request):
        a = OWNER
        user = sub(None, "user", id=a.plextv_id, uuid=_hex("uuid", a.id, 16),
                   username=a.username, title=a.title, email=a.email, friendlyName=a.title,
                   locale="", confirmed=1, joinedAt=JOINED_AT, emailOnlyAuth=0, hasPassword=1,
                   protected=0, thumb=f"https://plex.tv/users/{_hex('uuid', a.id, 16)}/avatar",
                   authToken=self.token, mailingListStatus="active", mailingListActive=1,
                   scrobbleTypes="", country="US", subscriptionDescription="Lifetime Plex Pass",
                   restricted=0, anonymous="", home=1, guest=0, homeSize=2, homeAdmin=1,
                   maxHomeSize=15, rememberExpiresAt=JOINED_AT + 10 * 365 * 86400,
                   experimentalFeatures=0, twoFactorEnabled=0, backupCodesCreated=0)
        sub_el = sub(user, "subscription", active=int(self.plex_pass),
                     subscribedAt="2020-01-01 00:00:00 UTC",
                     status="Active" if self.plex_pass else "Inactive", paymentService="",
                     plan="lifetime" if self.plex_pass else "")
        features = sub(sub_el, "features")
        for feature in ("webhooks", "home", "sync", "collections"):
            sub(features, "feature", id=feature)
        sub(user, "profile", autoSelectAudio=1, defaultAudioLanguage="en",
            defaultSubtitleLanguage="en", autoSelectSubtitle=0, defaultSubtitleAccessibility=0,
            defaultSubtitleForces=0)
        sub(sub(user, "entitlements", all=1), "entitlement", id="all")
        if self.plex_pass:
            sub(sub(user, "roles"), "role", id="plexpass")
        sub(user, "services")
        return xml_response(user)

    @route("GET", r"/api/users/?")
    def _users(self, req: Request):
        with self.lock:
            others = list(self.accounts)
            filters = {k: dict(v) for k, v in self.filters.items()}
        root = container(friendlyName="myPlex", identifier="com.plexapp.plugins.myplex",
                         machineIdentifier=self.plex.machine_identifier,
                         totalSize=len(others), size=len(others))
        for a in others:
            managed = a.kind == "managed"
            user = sub(root, "User", id=a.plextv_id, title=a.title, username=a.username,
                       email=a.email, recommendationsPlaylistId="", thumb="",
                       protected=0, home=int(managed), allowTuners=0, allowSync=1,
                       allowCameraUpload=0, allowChannels=0, allowSubtitleAdmin=0,
                       filterAll="", filterPhotos="", restricted=int(managed),
                       **filters.get(a.plextv_id, dict.fromkeys(FILTER_KEYS, "")))
            sub(user, "Server", id=9000 + a.id, serverId=4242,
                machineIdentifier=self.plex.machine_identifier, name=self.plex.friendly_name,
                lastSeenAt=JOINED_AT, numLibraries=3, allLibraries=1, owned=1, pending=0)
        return xml_response(root)

    @route("PUT", r"/api/v2/sharings/(?P<user_id>\d+)")
    def _update_sharing(self, req: Request, user_id: str):
        """plexapi's updateFriend: only the keys sent change."""
        with self.lock:
            found = self.filters.get(int(user_id))
            if found is None:
                return Response(404, self.error_body(404), content_type=XML)
            for key in FILTER_KEYS:
                if key in req.query:
                    found[key] = req.query[key]
                    self.plex.timeline.append(("filter", int(user_id), key, req.query[key]))
        return Response(200, b"", content_type=XML)

    @route("GET", r"/api/v2/resources/?")
    def _resources(self, req: Request):
        plex = self.plex
        address = urlsplit(plex.url)
        root = sub(None, "resources", size=2)
        server = sub(root, "resource", name=plex.friendly_name, product="Plex Media Server",
                     productVersion=plex.version, platform="Linux", platformVersion="6.1.0",
                     device="PC", clientIdentifier=plex.machine_identifier,
                     createdAt="2020-01-01T00:00:00Z", lastSeenAt="2026-01-01T00:00:00Z",
                     provides="server", sourceTitle="", publicAddress="203.0.113.7",
                     accessToken=self.token, owned=1, home=0, synced=0, relay=1, presence=1,
                     httpsRequired=0, publicAddressMatches=1, dnsRebindingProtection=0,
                     natLoopbackSupported=0)
        connections = sub(server, "connections")
        sub(connections, "connection", protocol=address.scheme, address=address.hostname,
            port=address.port, uri=plex.url, local=1, relay=0, IPv6=0)
        relay_host = f"203-0-113-7.{plex.machine_identifier}.plex.direct"
        sub(connections, "connection", protocol="https", address="203.0.113.7", port=8443,
            uri=f"https://{relay_host}:8443", local=0, relay=1, IPv6=0)
        sub(root, "resource", name="Living Room TV", product="Plex for Android (TV)",
            productVersion="10.20.0", platform="Android", platformVersion="12", device="SHIELD",
            clientIdentifier=_hex("tv", 1, 16), createdAt="2021-01-01T00:00:00Z",
            lastSeenAt="2026-01-01T00:00:00Z", provides="client,player,pubsub-player",
            owned=1, home=0, synced=0, relay=1, presence=1, publicAddressMatches=1,
            accessToken=self.token)
        return xml_response(root)

    # PIN sign-in -----------------------------------------------------------------------------
    @route("POST", r"/api/v2/pins/?")
    def _create_pin(self, req: Request):
        client = req.headers.get("x-plex-client-identifier")
        if not client:
            return Response(400, self.error_body(400), content_type=XML)
        strong = req.query.get("strong", "").lower() in ("1", "true")
        with self.lock:
            pin_id = next(self._pin_ids)
            code = _hex("pin", pin_id, 25) if strong else _hex("pin", pin_id, 4).upper()
            pin = Pin(pin_id, code, client, req.headers.get("x-plex-product", ""),
                      int(req.time))
            self.pins[pin_id] = pin
            return Response(201, self._pin_xml(pin), content_type=XML)

    @route("GET", r"/api/v2/pins/(?P<pin_id>\d+)")
    def _check_pin(self, req: Request, pin_id: str):
        with self.lock:
            pin = self.pins.get(int(pin_id))
            # plex.tv only answers the client that created the PIN
            if pin is None or req.headers.get("x-plex-client-identifier") != pin.client_identifier:
                return Response(404, self.error_body(404), content_type=XML)
            pin.polls += 1
            if self.auto_authorize_after is not None and pin.polls >= self.auto_authorize_after:
                pin.auth_token = pin.auth_token or self.token
            return Response(200, self._pin_xml(pin), content_type=XML)

    def _pin_xml(self, pin: Pin) -> bytes:
        el = sub(None, "pin", id=pin.id, code=pin.code, product=pin.product, trusted=0,
                 qr=f"https://plex.tv/api/v2/pins/qr/{pin.code}",
                 clientIdentifier=pin.client_identifier, expiresIn=1800,
                 createdAt=pin.created_at, expiresAt=pin.created_at + 1800,
                 authToken=pin.auth_token, newRegistration="")
        return xml_response(el).body


def _hex(kind: str, n: int, length: int) -> str:
    return hashlib.sha1(f"{kind}-{n}".encode()).hexdigest()[:length]
