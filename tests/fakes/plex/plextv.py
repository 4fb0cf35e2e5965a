"""A plex.tv double: the owner's account, PIN sign-in, server discovery and shared users.

Reach it from plexapi through `vault.clients.plextv.PlexTvSession(plextv.url)`, which sends
requests for https://plex.tv there. PINs stay unclaimed until a test calls `authorize_pin`, or
until they have been polled `auto_authorize_after` times (None: never).
"""

from __future__ import annotations

import hashlib
import itertools
from dataclasses import dataclass
from urllib.parse import urlsplit

from tests.fakes.base import FakeServer, Request, Response, route
from tests.fakes.plex.accounts import ACCOUNTS, OWNER
from tests.fakes.plex.xml import XML, container, sub, xml_response

JOINED_AT = 1577836800  # 2020-01-01


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
        sub_el = sub(user, "subscription", active=1, subscribedAt="2020-01-01 00:00:00 UTC",
                     status="Active", paymentService="", plan="lifetime")
        features = sub(sub_el, "features")
        for feature in ("webhooks", "home", "sync", "collections"):
            sub(features, "feature", id=feature)
        sub(user, "profile", autoSelectAudio=1, defaultAudioLanguage="en",
            defaultSubtitleLanguage="en", autoSelectSubtitle=0, defaultSubtitleAccessibility=0,
            defaultSubtitleForces=0)
        sub(sub(user, "entitlements", all=1), "entitlement", id="all")
        sub(sub(user, "roles"), "role", id="plexpass")
        sub(user, "services")
        return xml_response(user)

    @route("GET", r"/api/users/?")
    def _users(self, req: Request):
        others = [a for a in ACCOUNTS if a.kind != "owner"]
        root = container(friendlyName="myPlex", identifier="com.plexapp.plugins.myplex",
                         machineIdentifier=self.plex.machine_identifier,
                         totalSize=len(others), size=len(others))
        for a in others:
            managed = a.kind == "managed"
            user = sub(root, "User", id=a.plextv_id, title=a.title, username=a.username,
                       email=a.email, recommendationsPlaylistId="", thumb="",
                       protected=0, home=int(managed), allowTuners=0, allowSync=1,
                       allowCameraUpload=0, allowChannels=0, allowSubtitleAdmin=0,
                       filterAll="", filterMovies="", filterMusic="", filterPhotos="",
                       filterTelevision="", restricted=int(managed))
            sub(user, "Server", id=9000 + a.id, serverId=4242,
                machineIdentifier=self.plex.machine_identifier, name=self.plex.friendly_name,
                lastSeenAt=JOINED_AT, numLibraries=3, allLibraries=1, owned=1, pending=0)
        return xml_response(root)

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
