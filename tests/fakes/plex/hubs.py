"""Managed hubs ("Manage Recommendations") in the Plex double.

Each section keeps an ordered list of hubs: the built-in ones a real server starts with, then
promoted collections (`custom.collection.{section}.{id}`), appended at the end when promoted.
Deleting a collection removes its hub.
"""

from __future__ import annotations

from dataclasses import dataclass

from tests.fakes.base import Request, route
from tests.fakes.plex.errors import bad_request, not_found
from tests.fakes.plex.xml import container, empty_response, hub_element, xml_response

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

    def _init_hubs(self) -> None:
        self._hubs = {key: [ManagedHub(i, t) for i, t in BUILT_IN.get(s.type, ())]
                      for key, s in self.library.sections.items()}

    def hubs(self, section_id: int) -> list[dict]:
        """The section's hubs in order, with their promotion flags named as Plex names them."""
        with self.lock:
            return [{"identifier": h.identifier, "title": h.title, "collection": h.collection,
                     **{param: getattr(h, attr) for param, attr in _FLAGS.items()}}
                    for h in self._hubs[int(section_id)]]

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
            _set_flags(hub, req.query)
        return empty_response()

    @route("PUT", r"/hubs/sections/(?P<sec>\d+)/manage/(?P<identifier>[\w.]+)")
    def _update_hub(self, req: Request, sec: str, identifier: str):
        with self.lock:
            hub = self._find_hub(int(sec), identifier)
            if hub is None:
                return not_found()
            _set_flags(hub, req.query)
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
