"""Every service double over one catalog, started and stopped together.

    doubles = start_all(n_movies=300, n_shows=60)
    settings = doubles.credentials()   # what the app's integration settings need
    ...
    doubles.stop()

The Plex doubles come from tests.fakes.plex when that package imports; `with_plex=False` leaves
them out for tests that do not need them.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, fields
from typing import Any

from tests.fakes.arr.radarr import RadarrDouble
from tests.fakes.arr.sonarr import SonarrDouble
from tests.fakes.base import FakeServer
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
              legacy_libraries: bool = False, sonarr_v3: bool = False, **sizes) -> Doubles:
    """Start every double on loopback. `sizes` go to Catalog (n_movies, n_shows, seed);
    `port_base` pins ports (port_base, +1, …) for a long-running session, 0 picks free ones;
    `sonarr_v3` makes Sonarr play v3 (language profiles) instead of v4."""
    catalog = catalog or Catalog(**sizes)
    ports = iter(range(port_base, port_base + 20)) if port_base else iter(lambda: 0, 1)
    started: list[FakeServer] = []

    def up(server):
        started.append(server.start())
        return server

    try:
        plex = plextv = None
        server_cls, tv_cls = plex_classes() if with_plex else (None, None)
        if server_cls is not None:
            plex = up(server_cls(catalog, port=next(ports),
                                 **({"legacy_libraries": True} if legacy_libraries else {})))
            plextv = up(tv_cls(plex, port=next(ports)))
        users = overseerr_users() if plex is not None else ()
        return Doubles(
            catalog=catalog, plex=plex, plextv=plextv,
            tmdb=up(TmdbDouble(catalog, port=next(ports))),
            openai=up(OpenAiDouble(port=next(ports))),
            google=up(GoogleDouble(catalog, port=next(ports))),
            radarr=up(RadarrDouble(catalog, port=next(ports))),
            sonarr=up(SonarrDouble(catalog, port=next(ports), v3=sonarr_v3)),
            overseerr=up(OverseerrDouble(catalog, port=next(ports),
                                         **({"users": users} if users else {}))),
        )
    except BaseException:
        stop_all(started)  # a half-started suite must not leak listening sockets
        raise
