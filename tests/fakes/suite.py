"""Every service double over one catalog, started and stopped together.

    doubles = start_all(n_movies=300, n_shows=60)
    settings = doubles.credentials()   # what the app's integration settings need
    ...
    doubles.stop()

The Plex doubles come from tests.fakes.plex when that package imports; `with_plex=False` leaves
them out for tests that do not need them.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, fields
from typing import Any

from tests.fakes.arr.radarr import RadarrDouble
from tests.fakes.arr.sonarr import SonarrDouble
from tests.fakes.base import FakeServer, Request, Response, route
from tests.fakes.catalog import Catalog
from tests.fakes.google import GoogleDouble
from tests.fakes.openai_server import OpenAiDouble
from tests.fakes.overseerr import ADMIN, AUTO_APPROVE, REQUEST, REQUEST_MOVIE, OverseerrDouble
from tests.fakes.tmdb import TmdbDouble


@dataclass
class Doubles:
    catalog: Catalog
    plex: Any
    plextv: Any
    tmdb: TmdbDouble
    openai: OpenAiDouble
    google: GoogleDouble
    radarr: RadarrDouble
    sonarr: SonarrDouble
    overseerr: OverseerrDouble

    def servers(self) -> dict[str, FakeServer]:
        return {f.name: getattr(self, f.name) for f in fields(self)
                if f.name != "catalog" and getattr(self, f.name) is not None}

    def stop(self) -> None:
        stop_all(self.servers().values())

    def clear(self) -> None:
        """Forget request logs and planned faults everywhere (state stays)."""
        for server in self.servers().values():
            server.clear()

    def urls(self) -> dict[str, str]:
        return {name: server.url for name, server in self.servers().items()}

    def credentials(self) -> dict[str, dict]:
        """Per service: `url` plus what a client is configured with (`key`/`token`, bases)."""
        creds = {}
        if self.plex is not None:
            creds["plex"] = {"url": self.plex.url, "token": self.plex.token,
                             "machine_identifier": self.plex.machine_identifier}
            creds["plextv"] = {"url": self.plextv.url, "base": self.plextv.url,
                               "token": self.plextv.token}
        creds |= {
            "tmdb": {"url": self.tmdb.url, "base": self.tmdb.base, "key": self.tmdb.api_key},
            "openai": {"url": self.openai.url, "base": self.openai.base,
                       "key": self.openai.api_key, "model": self.openai.models[0]},
            "google": {"url": self.google.url, "base": f"{self.google.url}/customsearch/v1",
                       "key": self.google.api_key, "cx": self.google.cx},
            "radarr": self._arr(self.radarr),
            "sonarr": self._arr(self.sonarr),
            "overseerr": {"url": self.overseerr.url, "key": self.overseerr.api_key},
        }
        return creds

    @staticmethod
    def _arr(arr) -> dict:
        return {"url": arr.url, "key": arr.api_key, "root_folder": arr.media_root,
                "quality_profile_id": arr.quality_profiles[0]["id"]}


class ControlServer(FakeServer):
    """What a person does on the far side of the doubles, as plain links a browser can open, so
    a newcomer can watch the autopilot work without a Plex server or a plex.tv account:

    - `GET /control/session?viewer=Bea&title=…&percent=75` (optional `year`, `library` name or
      key): the viewer plays the title (a show: its first episode) at that share of its
      duration, through the Plex double's `set_session`, so `/status/sessions` lists it as
      Plex would while someone watches;
    - `GET /control/session/end?viewer=Bea` ends the sessions started here for that viewer
      (no viewer: every session), as stopping playback does (`end_session`);
    - `GET /control/pin` approves the newest Sign in with Plex PIN, as pressing Allow on
      plex.tv/link does (the plex.tv double's `authorize_pin`).

    Answers are JSON with a `message` sentence; 400 and 404 say what was wrong."""

    name = "control"

    def __init__(self, plex, plextv, **kwargs):
        super().__init__(**kwargs)
        self.plex, self.plextv = plex, plextv
        self.started: dict[int, int] = {}  # session key -> account id

    def session_url(self) -> str:
        return f"{self.url}/control/session?viewer=Bea&title=The+Hidden+Lantern+3&percent=75"

    def pin_url(self) -> str:
        return f"{self.url}/control/pin"

    @route("GET", r"/control/session/?")
    def _session(self, req: Request) -> Response:
        account = _account(req.query.get("viewer", ""))
        if account is None:
            return _refuse(404, f"No viewer called “{req.query.get('viewer', '')}”; the Plex "
                                f"double knows {', '.join(a.title for a in _accounts())}.")
        try:
            percent = float(req.query.get("percent", "75"))
        except ValueError:
            percent = -1.0
        if not 0 <= percent <= 100:
            return _refuse(400, "percent is a number from 0 to 100.")
        item = self._item(req.query)
        if item is None:
            return _refuse(404, f"No title “{req.query.get('title', '')}” in the Plex double's "
                                "libraries (with that year and library, if given).")
        played = self._playable(item)
        offset = int(played.duration_ms * percent / 100)
        key = self.plex.set_session(account.id, played.rating_key, offset)
        self.started[key] = account.id
        with self.plex.lock:
            library = self.plex.library.sections[item.section].title
        return _answer(200, {
            "message": f"{account.title} is watching {item.title} ({item.year}) in {library} "
                       f"at {percent:g}%.", "session_key": key, "rating_key": played.rating_key,
            "view_offset_ms": offset, "viewer": account.title, "library": library})

    @route("GET", r"/control/session/end/?")
    def _end(self, req: Request) -> Response:
        account = _account(req.query["viewer"]) if req.query.get("viewer") else None
        if req.query.get("viewer") and account is None:
            return _refuse(404, f"No viewer called “{req.query['viewer']}”.")
        if account is None:
            self.plex.clear_sessions()
            ended, self.started = list(self.started), {}
        else:
            ended = [k for k, a in self.started.items() if a == account.id]
            for key in ended:
                self.plex.end_session(key)
                del self.started[key]
        who = account.title if account else "Everyone"
        return _answer(200, {"message": f"{who} stopped watching ({len(ended)} session"
                                         f"{'' if len(ended) == 1 else 's'}).", "ended": ended})

    @route("GET", r"/control/pin/?")
    def _pin(self, req: Request) -> Response:
        pin = self.plextv.last_pin()
        if pin is None:
            return _refuse(404, "No Sign in with Plex is waiting: press Sign in with Plex in "
                                "the Vault first, then open this link.")
        was_approved = pin.auth_token is not None
        self.plextv.authorize_pin(pin.id)
        message = (f"PIN {pin.code} was already approved." if was_approved else
                   f"Approved PIN {pin.code}: the Vault signs in at its next check.")
        return _answer(200, {"message": message, "pin_id": pin.id})

    def _item(self, query: dict[str, str]):
        """The movie or show called `title` (any case), narrowed by `year` and `library`; the
        lowest library key wins a tie (Movies before Kids Movies)."""
        title, year, library = (query.get("title", "").casefold(), query.get("year", ""),
                                query.get("library", "").casefold())
        with self.plex.lock:
            sections = self.plex.library.sections
            found = [i for i in self.plex.library.items.values()
                     if i.top and i.title.casefold() == title
                     and (not year or str(i.year) == year)
                     and (not library or library in (str(i.section),
                                                     sections[i.section].title.casefold()))]
        return min(found, key=lambda i: (i.section, i.rating_key), default=None)

    def _playable(self, item):
        with self.plex.lock:
            leaves = self.plex.library.leaves(item) if item.kind == "show" else []
        return leaves[0] if leaves else item


def _accounts():
    from tests.fakes.plex.accounts import ACCOUNTS

    return ACCOUNTS


def _account(name: str):
    """A viewer by name, plex.tv username or the server's account id."""
    wanted = name.strip().casefold()
    return next((a for a in _accounts() if wanted and wanted in (
        a.title.casefold(), a.username.casefold(), str(a.id))), None)


def _answer(status: int, payload: dict) -> Response:
    """JSON a browser shows as written (curly quotes and all, not \\u escapes)."""
    return Response(status, json.dumps(payload, ensure_ascii=False),
                    content_type="application/json; charset=utf-8")


def _refuse(status: int, message: str) -> Response:
    return _answer(status, {"message": message})


def start_control(doubles: Doubles, host: str = "127.0.0.1", port: int = 0) -> ControlServer:
    """The control links beside a running suite (which must have the Plex doubles)."""
    if doubles.plex is None:
        raise RuntimeError("the control links need the Plex doubles (tests.fakes.plex)")
    return ControlServer(doubles.plex, doubles.plextv, host=host, port=port).start()


def stop_all(servers) -> None:
    """Stop servers side by side: each shutdown waits out its serve loop's half-second poll."""
    threads = [threading.Thread(target=server.stop) for server in servers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def plex_classes():
    """PlexServerDouble and PlexTvDouble, or (None, None) while tests.fakes.plex is absent."""
    try:
        from tests.fakes.plex.plextv import PlexTvDouble
        from tests.fakes.plex.server import PlexServerDouble
    except ImportError:
        return None, None
    return PlexServerDouble, PlexTvDouble


def overseerr_users() -> tuple:
    """Overseerr users mirroring the Plex doubles' people; plexId is the plex.tv account id
    (the owner's is not 1)."""
    try:
        from tests.fakes.plex.accounts import ACCOUNTS
    except ImportError:
        return ()
    permissions = {"owner": ADMIN, "shared": REQUEST, "managed": REQUEST_MOVIE}
    users = []
    for i, a in enumerate(ACCOUNTS, start=1):
        perms = permissions[a.kind] | (AUTO_APPROVE if i == 2 else 0)
        users.append((i, a.username or a.title, perms, a.plextv_id))
    return tuple(users)


def start_all(catalog: Catalog | None = None, *, with_plex: bool = True, port_base: int = 0,
              legacy_libraries: bool = False, sonarr_v3: bool = False, host: str = "127.0.0.1",
              **sizes) -> Doubles:
    """Start every double on `host` (loopback unless told). `sizes` go to Catalog (n_movies,
    n_shows, seed); `port_base` pins ports (port_base, +1, …) for a long-running session, 0
    picks free ones; `sonarr_v3` makes Sonarr play v3 (language profiles) instead of v4."""
    catalog = catalog or Catalog(**sizes)
    ports = iter(range(port_base, port_base + 20)) if port_base else iter(lambda: 0, 1)
    started: list[FakeServer] = []

    def up(server):
        started.append(server.start())
        return server

    def at() -> dict:
        return {"host": host, "port": next(ports)}

    try:
        plex = plextv = None
        server_cls, tv_cls = plex_classes() if with_plex else (None, None)
        if server_cls is not None:
            plex = up(server_cls(catalog, **at(),
                                 **({"legacy_libraries": True} if legacy_libraries else {})))
            plextv = up(tv_cls(plex, **at()))
        users = overseerr_users() if plex is not None else ()
        return Doubles(
            catalog=catalog, plex=plex, plextv=plextv,
            tmdb=up(TmdbDouble(catalog, **at())),
            openai=up(OpenAiDouble(**at())),
            google=up(GoogleDouble(catalog, **at())),
            radarr=up(RadarrDouble(catalog, **at())),
            sonarr=up(SonarrDouble(catalog, **at(), v3=sonarr_v3)),
            overseerr=up(OverseerrDouble(catalog, **at(),
                                         **({"users": users} if users else {}))),
        )
    except BaseException:
        stop_all(started)  # a half-started suite must not leak listening sockets
        raise
