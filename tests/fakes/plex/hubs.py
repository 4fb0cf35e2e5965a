"""Managed hubs ("Manage Recommendations") in the Plex double.

Each section keeps an ordered list of hubs: the built-in ones a real server starts with, then
promoted collections (`custom.collection.{section}.{id}`), appended at the end when promoted.
Deleting a collection removes its hub.

Home as each account sees it: `GET /hubs` (plexapi's `server.library.hubs()`) answered with the
owner's token lists the promoted collections pinned to the owner's Home; answered with a shared
account's own token (plextv.PlexTvDouble.account_token) it lists those pinned to Friends' Home,
less every collection carrying a label that account's share filter for that section type
excludes (`label!=`), the way Plex applies label restrictions to Home and Recommended from Plex
Media Server 1.43.1 (below that the filter is ignored there and the row shows: stevezau/shortlist,
docs/plex-per-user-collections.md). The owner has no share and sees everything. The same
account's library views leave those collections out too (the section's collections listing,
`/all?type=18`, and the collection's own metadata answers 404). A shared account's token reads;
it cannot write (401), as on a real server.

`timeline` records, in order, each promotion to Friends' Home (`("promote", collection, labels,
accounts that could see it at that moment)`) and each share-filter write plex.tv took
(`("filter", account, key, value)`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from xml.etree import ElementTree

from tests.fakes.base import Request, Response, route
from tests.fakes.plex.errors import bad_request, not_found
from tests.fakes.plex.plextv import excluded_labels
from tests.fakes.plex.xml import container, empty_response, hub_element, sub, xml_response

_ACCOUNT_VIEWS = re.compile(r"/library/sections/\d+/(?:all|collections)|"
                            r"/library/(?:metadata|collections)/\d+(?:,\d+)*")
LABELS_ON_HOME = (1, 43, 1)  # the first server version that hides labelled rows on Home

BUILT_IN = {
    "movie": (("movie.inprogress", "Continue Watching"),
              ("movie.recentlyadded", "Recently Added Movies"),
              ("movie.recentlyreleased", "Recently Released Movies")),
    "show": (("tv.inprogress", "Continue Watching"), ("tv.ondeck", "On Deck"),
             ("tv.recentlyadded", "Recently Added TV"), ("tv.recentlyaired", "Recently Aired")),
}
_FLAGS = {"promotedToRecommended": "recommended", "promotedToOwnHome": "own_home",
          "promotedToSharedHome": "shared_home"}


@dataclass
class ManagedHub:
    identifier: str
    title: str
    recommended: bool = True
    own_home: bool = True
    shared_home: bool = True
    collection: int | None = None  # None for the server's built-in hubs


def custom_identifier(section: int, collection: int) -> str:
    return f"custom.collection.{section}.{collection}"


class HubRoutes:
    """Mixed into PlexServerDouble; needs `library`, `collections`, `lock`."""

    plextv = None  # set by PlexTvDouble(plex): the share filters and the accounts' tokens

    def _init_hubs(self) -> None:
        self.timeline: list[tuple] = []
        self._hubs = {key: [ManagedHub(i, t) for i, t in BUILT_IN.get(s.type, ())]
                      for key, s in self.library.sections.items()}

    def hubs(self, section_id: int) -> list[dict]:
        """The section's hubs in order, with their promotion flags named as Plex names them."""
        with self.lock:
            return [{"identifier": h.identifier, "title": h.title, "collection": h.collection,
                     **{param: getattr(h, attr) for param, attr in _FLAGS.items()}}
                    for h in self._hubs[int(section_id)]]

    # accounts ------------------------------------------------------------------------------
    def dispatch(self, req: Request):
        """A shared account's own token: reads answered as that account, writes refused."""
        token = req.headers.get("x-plex-token") or req.query.get("X-Plex-Token")
        account = self.plextv.account_for_token(token) if self.plextv and token else None
        req.account = account
        if account is not None:
            if req.method not in ("GET", "HEAD"):
                return Response(401, "<html><body><h1>401 Unauthorized</h1></body></html>",
                                content_type="text/html")
            req.headers["x-plex-token"] = self.token
            req.query.pop("X-Plex-Token", None)
        answer = super().dispatch(req)
        if answer.status == 200 and req.method == "PUT" and \
                re.fullmatch(r"/library/sections/\d+/all", req.path):
            self._take_label_edit(req)  # the field edit took it: its labels too
        return self._as_account(req, self._labels_shown(req, answer))

    def _as_account(self, req: Request, answer: Response) -> Response:
        """Collections hidden from this account by its share filter, taken out of the answer."""
        account = getattr(req, "account", None)
        if account is None or answer.status != 200 or not _ACCOUNT_VIEWS.fullmatch(req.path):
            return answer
        with self.lock:
            root = ElementTree.fromstring(answer.body)
            hidden = [el for el in root if int(el.get("ratingKey") or 0) in self.collections
                      and account not in self.visible_to(int(el.get("ratingKey")))]
            if not hidden:
                return answer
            for el in hidden:
                root.remove(el)
            if not len(root) and req.path.startswith("/library/metadata/"):
                return not_found()
            root.set("size", str(len(root)))
        return xml_response(root)

    def visible_to(self, collection: int) -> set[int]:
        """The shared accounts whose Home would show this collection now (callers may hold
        the lock)."""
        with self.lock:
            col = self.collections.get(int(collection))
            if col is None:
                return set()
            kind = self.library.sections[col.section].type
            honoured = _version(self.version) >= LABELS_ON_HOME
            return {a.id for a in self.plextv.accounts} - {
                a.id for a in self.plextv.accounts if honoured and
                excluded_labels(self.plextv.filter_for(a.id, kind)) & set(col.labels)} \
                if self.plextv else set()

    def home(self, account: int | None = None) -> list[str]:
        """The titles of the collections on this account's Home (None: the owner's)."""
        with self.lock:
            return [self.collections[h.collection].title for h in self._home(account)]

    def _home(self, account: int | None) -> list[ManagedHub]:
        with self.lock:
            shown = []
            for key in self.library.sections:
                for hub in self._hubs[key]:
                    if hub.collection is None or hub.collection not in self.collections:
                        continue
                    if account is None and hub.own_home or account is not None and \
                            hub.shared_home and account in self.visible_to(hub.collection):
                        shown.append(hub)
            return shown

    @route("GET", r"/hubs/?")
    def _home_hubs(self, req: Request):
        account = getattr(req, "account", None)
        with self.lock:
            hubs = self._home(account)
            root = container(size=len(hubs), allowSync=1, identifier="com.plexapp.plugins.library")
            for hub in hubs:
                col = self.collections[hub.collection]
                sub(root, "Hub", hubIdentifier=hub.identifier, title=col.title, type=col.subtype,
                    key=f"/library/collections/{col.rating_key}/children", size=0, more=1,
                    style="shelf", context="hub.custom.collection", promoted=1)
        return xml_response(root)

    def _find_hub(self, section: int, identifier: str) -> ManagedHub | None:
        return next((h for h in self._hubs.get(section, []) if h.identifier == identifier), None)

    def _drop_hub(self, section: int, collection: int) -> None:
        self._hubs[section] = [h for h in self._hubs[section] if h.collection != collection]

    @route("GET", r"/hubs/sections/(?P<sec>\d+)/manage")
    def _list_hubs(self, req: Request, sec: str):
        wanted = req.query.get("metadataItemId")
        with self.lock:
            if int(sec) not in self._hubs:
                return not_found()
            hubs = [h for h in self._hubs[int(sec)]
                    if wanted is None or str(h.collection) == wanted]
            root = container(size=len(hubs))
            for hub in hubs:
                hub_element(root, hub)
        return xml_response(root)

    @route("POST", r"/hubs/sections/(?P<sec>\d+)/manage")
    def _promote_hub(self, req: Request, sec: str):
        with self.lock:
            col = self.collections.get(int(req.query.get("metadataItemId") or 0))
            if col is None or col.section != int(sec):
                return bad_request("metadataItemId must be a collection of this library")
            identifier = custom_identifier(col.section, col.rating_key)
            hub = self._find_hub(col.section, identifier)
            if hub is None:
                hub = ManagedHub(identifier, col.title, False, False, False, col.rating_key)
                self._hubs[col.section].append(hub)
            self._flag(hub, req.query)
        return empty_response()

    def _flag(self, hub: ManagedHub, query: dict[str, str]) -> None:
        was = hub.shared_home
        _set_flags(hub, query)
        if hub.shared_home and not was and hub.collection in self.collections:
            self.timeline.append(("promote", hub.collection,
                                  tuple(self.collections[hub.collection].labels),
                                  frozenset(self.visible_to(hub.collection))))

    @route("PUT", r"/hubs/sections/(?P<sec>\d+)/manage/(?P<identifier>[\w.]+)")
    def _update_hub(self, req: Request, sec: str, identifier: str):
        with self.lock:
            hub = self._find_hub(int(sec), identifier)
            if hub is None:
                return not_found()
            self._flag(hub, req.query)
        return empty_response()

    @route("PUT", r"/hubs/sections/(?P<sec>\d+)/manage/(?P<identifier>[\w.]+)/move")
    def _move_hub(self, req: Request, sec: str, identifier: str):
        after = req.query.get("after")
        with self.lock:
            hub = self._find_hub(int(sec), identifier)
            if hub is None:
                return not_found()
            hubs = self._hubs[int(sec)]
            anchor = self._find_hub(int(sec), after) if after else None
            if after and anchor is None:
                return bad_request(f"no hub {after}")
            hubs.remove(hub)
            hubs.insert(hubs.index(anchor) + 1 if anchor else 0, hub)
        return empty_response()

    @route("DELETE", r"/hubs/sections/(?P<sec>\d+)/manage/(?P<identifier>[\w.]+)")
    def _demote_hub(self, req: Request, sec: str, identifier: str):
        with self.lock:
            hub = self._find_hub(int(sec), identifier)
            if hub is None:
                return not_found()
            if hub.collection is None:
                return bad_request("built-in hubs cannot be removed")
            self._hubs[int(sec)].remove(hub)
        return empty_response()

    @route("DELETE", r"/hubs/sections/(?P<sec>\d+)/manage")
    def _reset_hubs(self, req: Request, sec: str):
        with self.lock:
            section = self.library.sections.get(int(sec))
            if section is None:
                return not_found()
            self._hubs[section.key] = [ManagedHub(i, t) for i, t in BUILT_IN[section.type]]
        return empty_response()


def _set_flags(hub: ManagedHub, query: dict[str, str]) -> None:
    for param, attr in _FLAGS.items():
        if param in query:
            setattr(hub, attr, query[param] in ("1", "true"))


def _version(text: str) -> tuple[int, ...]:
    return tuple(int(n) for n in re.findall(r"\d+", text.split("-", 1)[0])[:4])
