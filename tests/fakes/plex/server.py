"""A stateful Plex Media Server double that the real, unpatched plexapi talks to.

    plex = PlexServerDouble(catalog, token="plex-token").start()
    plextv = PlexTvDouble(plex, token="plex-token").start()  # tests.fakes.plex.plextv

Libraries: 1 "Movies", 2 "TV Shows", 3 "Kids Movies" (three dozen family films, two thirds of
them also in Movies under other rating keys). Accounts: see `accounts` (server ids 1-4).
Collections, managed hubs, sessions and history keep state. Test helpers:

    arrange  add_item, remove_item, set_session, end_session, clear_sessions, add_history,
             release_order_on_create = True (new collections stored in release order),
             add_version, duplicate_episode, allow_media_deletion (versions.py)
    inspect  rating_key_for, collection_by_title, collection_items (stored order),
             collection_view (after collectionSort), collection_sort, hubs, poster, writes,
             versions_of, deleted_media,
             plus FakeServer's requests, count(), fault() and down
Listing pages are built on demand: a 20,000-movie catalog costs only the pages asked for.
"""

from __future__ import annotations

import hashlib
import time

from tests.fakes.base import FakeServer, Request, Response, route
from tests.fakes.catalog import Catalog, Title
from tests.fakes.plex.activity import ActivityRoutes
from tests.fakes.plex.collections import CollectionRoutes
from tests.fakes.plex.errors import bad_request, not_found
from tests.fakes.plex.hubs import HubRoutes
from tests.fakes.plex.library import Library
from tests.fakes.plex.meta import meta_element
from tests.fakes.plex.posters import PosterRoutes
from tests.fakes.plex.query import page, paging, select, totals
from tests.fakes.plex.records import TYPE_CODES
from tests.fakes.plex.versions import VersionRoutes
from tests.fakes.plex.xml import (
    collection_element,
    container,
    empty_response,
    excluded,
    item_element,
    section_attrs,
    section_element,
    sub,
    xml_response,
)

UNAUTHORIZED = "<html><head><title>Unauthorized</title></head><body><h1>401 Unauthorized</h1>" \
               "</body></html>"


class PlexServerDouble(CollectionRoutes, PosterRoutes, HubRoutes, ActivityRoutes, VersionRoutes,
                       FakeServer):
    name = "plex"
    version = "1.41.3.9314-a0bfb8370"

    def __init__(self, catalog: Catalog, token: str = "plex-token",
                 friendly_name: str = "Immaculaterr Test Server", host: str = "127.0.0.1",
                 port: int = 0, legacy_libraries: bool = False):
        super().__init__(host, port)
        self.token = token
        self.friendly_name = friendly_name
        self.machine_identifier = hashlib.sha1(f"{friendly_name}-{catalog.seed}".encode())\
            .hexdigest()
        # legacy_libraries: also 4 "Old Movies" (IMDb agent, duplicates), 5 "Old TV"
        # (TheTVDB agent) and 6 "Music" (type artist), as old real servers have them
        self.library = Library(catalog, legacy_libraries)
        # True: paged listings come without totalSize/offset too (pagers must read on until a
        # short page); unpaged ones never have them, as on a real server.
        self.omit_totals = False
        self._init_collections()
        self._init_posters()
        self._init_hubs()
        self._init_activity()
        self._init_versions()

    # helpers for tests -----------------------------------------------------------------------
    def now(self) -> int:
        return int(time.time())

    def writes(self) -> int:
        """How many requests changed (or tried to change) something: every non-GET."""
        with self.lock:
            return sum(1 for r in self.requests if r.method not in ("GET", "HEAD"))

    def add_item(self, library_key: int, title: Title, added_at: int | None = None) -> int:
        """Add a movie or show (with its seasons and episodes) as a scan would; returns its key."""
        with self.lock:
            when = int(added_at if added_at is not None else self.now())
            return self.library.add_title(int(library_key), title, when).rating_key

    def remove_item(self, rating_key: int) -> None:
        with self.lock:
            key = int(rating_key)
            self.library.remove(key)
            for col in self.collections.values():
                if key in col.items:
                    col.items.remove(key)

    def rating_key_for(self, tmdb_id: int, kind: str = "movie",
                       library_key: int | None = None) -> int | None:
        with self.lock:
            return self.library.rating_key_for(tmdb_id, kind, library_key)

    # transport -------------------------------------------------------------------------------
    def authorize(self, req: Request) -> Response | None:
        if req.path == "/identity":
            return None
        token = req.headers.get("x-plex-token") or req.query.get("X-Plex-Token")
        if token != self.token:
            return Response(401, UNAUTHORIZED, content_type="text/html")
        return None

    def error_body(self, status: int | None):
        return f"<html><body><h1>{status}</h1></body></html>"

    # server ----------------------------------------------------------------------------------
    @route("GET", r"/")
    def _root(self, req: Request):
        root = container(size=0, allowCameraUpload=0, allowChannelAccess=1,
                         allowMediaDeletion=int(self.allow_media_deletion),
                         allowSharing=1, allowSync=1, backgroundProcessing=1, certificate=1,
                         companionProxy=1, friendlyName=self.friendly_name, hubSearch=1,
                         machineIdentifier=self.machine_identifier, multiuser=1, myPlex=1,
                         myPlexMappingState="mapped", myPlexSigninState="ok",
                         myPlexSubscription=1, myPlexUsername="ava@example.com",
                         ownerFeatures="webhooks,home,pass,sync", platform="Linux",
                         platformVersion="6.1.0", transcoderActiveVideoSessions=0,
                         transcoderVideo=1, updatedAt=self.now(), version=self.version)
        return xml_response(root)

    @route("GET", r"/identity")
    def _identity(self, req: Request):
        return xml_response(container(size=0, claimed=1, machineIdentifier=self.machine_identifier,
                                      version=self.version))

    @route("GET", r"/library/?")
    def _library_root(self, req: Request):
        root = container(size=3, allowSync=0, identifier="com.plexapp.plugins.library",
                         mediaTagPrefix="/system/bundle/media/flags/", title1="Plex Library",
                         title2="")
        for key, title in (("sections", "Library Sections"), ("recentlyAdded", "Recently Added"),
                           ("onDeck", "On Deck")):
            sub(root, "Directory", key=key, title=title)
        return xml_response(root)

    @route("GET", r"/library/sections/?")
    def _sections(self, req: Request):
        with self.lock:
            sections = list(self.library.sections.values())
            root = container(size=len(sections), allowSync=0, title1="Plex Library")
            for section in sections:
                section_element(root, section)
        return xml_response(root)

    # listings --------------------------------------------------------------------------------
    @route("GET", r"/library/sections/(?P<sec>\d+)/all")
    def _section_all(self, req: Request, sec: str):
        with self.lock:
            section = self.library.sections.get(int(sec))
            if section is None:
                return not_found()
            type_code = req.query.get("type") or str(TYPE_CODES[section.type])
            if type_code == str(TYPE_CODES["collection"]):
                found = [c for c in self.collections.values() if c.section == section.key]
            else:
                found = self.library.listing(section.key, int(type_code) if
                                             type_code.isdigit() else -1)
        return self._listing(req, section, found, collections=type_code == "18")

    @route("GET", r"/library/sections/(?P<sec>\d+)/collections")
    def _section_collections(self, req: Request, sec: str):
        with self.lock:
            section = self.library.sections.get(int(sec))
            if section is None:
                return not_found()
            found = [c for c in self.collections.values() if c.section == section.key]
        return self._listing(req, section, found, collections=True)

    def _listing(self, req: Request, section, found: list, collections: bool) -> Response:
        try:
            chosen = select(found, req.query)
        except ValueError as exc:  # a malformed filter value; Plex answers 400 too
            return bad_request(str(exc))
        if collections:
            root = self._collection_page(req, section.key, chosen)
        else:
            root = self._item_page(req, section.key, chosen)
        if req.query.get("includeMeta") == "1":
            root.insert(0, meta_element(None, section, req.path.endswith("/collections")))
        return xml_response(root)

    def _item_page(self, req: Request, section_key: int, found: list, **attrs):
        """One page of items, the way every listing endpoint answers."""
        start, size = paging(req.query, req.headers)
        guids, drop = req.query.get("includeGuids") == "1", excluded(req.query)
        root = container(**self._section_attrs(section_key) | attrs | dict(
            size=0) | totals(found, start, size, self.omit_totals))
        with self.lock:
            shown = page(found, start, size)
            held = {} if "Collection" in drop[0] else self._memberships(i.rating_key for i in shown)
            for item in shown:
                el = item_element(root, self.library, item, guids,
                                  held.get(item.rating_key, ()), drop=drop)
                if item.kind == "episode":  # real listings name the section on the container
                    el.attrib.pop("librarySectionID", None)  # only (plexapi copies it down)
        root.set("size", str(len(root)))
        return root

    def _collection_page(self, req: Request, section_key: int, found: list):
        start, size = paging(req.query, req.headers)
        root = container(**self._section_attrs(section_key) | dict(
            size=0) | totals(found, start, size, self.omit_totals))
        with self.lock:
            for col in page(found, start, size):
                collection_element(root, self.library, col, listing=True)
        root.set("size", str(len(root)))
        return root

    def _section_attrs(self, section_key: int) -> dict:
        return section_attrs(self.library.sections[section_key])

    @route("GET", r"/library/sections/(?P<sec>\d+)/genre")
    def _genre_choices(self, req: Request, sec: str):
        with self.lock:
            section = self.library.sections.get(int(sec))
            if section is None:
                return not_found()
            genres = {g: n for key in section.top
                      for g, n in self.library.items[key].source.genres.items()}
        root = container(size=len(genres))
        for genre_id, name in sorted(genres.items(), key=lambda kv: kv[1]):
            sub(root, "Directory", fastKey=f"/library/sections/{sec}/all?genre={genre_id}",
                key=genre_id, title=name, type="genre")
        return xml_response(root)

    @route("PUT", r"/library/sections/(?P<sec>\d+)/all")
    def _edit_fields(self, req: Request, sec: str):
        """Field edits (`title.value`, `titleSort.value`, `summary.value`) on collections."""
        with self.lock:
            ids = [int(k) for k in req.query.get("id", "").split(",") if k]
            cols = [self.collections.get(k) for k in ids]
            if not ids or None in cols:
                return bad_request("the double edits collections only")
            for col in cols:
                col.title = req.query.get("title.value", col.title)
                col.summary = req.query.get("summary.value", col.summary)
                self._changed(col)
        return empty_response()

    # metadata --------------------------------------------------------------------------------
    @route("GET", r"/library/metadata/(?P<keys>\d+(?:,\d+)*)")
    def _metadata(self, req: Request, keys: str):
        root = container(size=0, identifier="com.plexapp.plugins.library")
        with self.lock:
            held = self._memberships(wanted := [int(k) for k in keys.split(",")])
            for key in wanted:
                if key in self.collections:
                    prefs = req.query.get("includePreferences") == "1"
                    collection_element(root, self.library, self.collections[key], prefs)
                elif key in self.library.items:
                    item_element(root, self.library, self.library.items[key],
                                 member_of=held.get(key, ()), streams=True)
        if not len(root):
            return not_found()
        root.set("size", str(len(root)))
        if len(root) == 1:
            root.set("librarySectionID", root[0].get("librarySectionID"))
        return xml_response(root)

    @route("GET", r"/library/metadata/(?P<rk>\d+)/(?P<which>children|allLeaves)")
    def _children(self, req: Request, rk: str, which: str):
        with self.lock:
            parent = self.library.items.get(int(rk))
            if parent is None or parent.kind not in ("show", "season"):
                return not_found()
            leaves = which == "allLeaves" or parent.kind == "season"
            found = self.library.leaves(parent) if leaves else \
                [self.library.items[k] for k in parent.children]
        root = self._item_page(req, parent.section, found, key=rk, parentTitle=parent.title,
                               title1=parent.title, viewGroup="episode" if leaves else "season")
        if not leaves and root.get("offset") == "0" and req.query.get("excludeAllLeaves") != "1":
            # a show's children start with an "All episodes" entry unless asked not to
            root.insert(0, sub(None, "Directory", key=f"/library/metadata/{rk}/allLeaves",
                               title="All episodes", leafCount=len(self.library.leaves(parent))))
        return xml_response(root)

    @route("DELETE", r"/library/metadata/(?P<rk>\d+)")
    def _delete_metadata(self, req: Request, rk: str):
        with self.lock:
            key = int(rk)
            if key in self.collections:
                self._delete_collection(key)
            elif key in self.library.items and self.library.items[key].top:
                self.remove_item(key)
            else:
                return not_found()
        return empty_response()
