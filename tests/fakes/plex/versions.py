"""Media versions on the Plex double: deleting one `<Media>`, and the recently-added listings.

    DELETE /library/metadata/{ratingKey}/media/{mediaId}   python-plexapi media.py
        Media.delete() (`{parentKey}/media/{id}`); a server whose owner has not turned on
        "Allow media deletion" (Settings > Library; `allowMediaDeletion` on the root `/`)
        refuses it: plexapi's Media.delete() documents the BadRequest it then raises, logging
        "Failed to delete … you haven't allowed items to be deleted". The double answers 400.
    GET /library/recentlyAdded                              plexapi library.py
        Library.recentlyAdded(); movies and seasons, newest first, paged.
    GET /library/sections/{key}/recentlyAdded               the section's own list.

`allow_media_deletion` (default True, as the root reports) and `deleted_media` (the
(ratingKey, mediaId) pairs really deleted) are the test controls.
"""

from __future__ import annotations

from tests.fakes.base import Request, route
from tests.fakes.plex.errors import bad_request, not_found
from tests.fakes.plex.query import page, paging, totals
from tests.fakes.plex.xml import container, empty_response, item_element, xml_response


class VersionRoutes:
    def _init_versions(self) -> None:
        self.allow_media_deletion = True
        self.deleted_media: list[tuple[int, int]] = []

    # test controls ---------------------------------------------------------------------------
    def add_version(self, rating_key: int, resolution: str, codec: str = "hevc",
                    kbps: int = 20000, hdr: str = "", suffix: str = "", **size) -> int:
        """One more file of a movie or episode (a `<Media>`); returns its media id."""
        with self.lock:
            return self.library.add_version(int(rating_key), resolution, codec, kbps, hdr,
                                            suffix, **size).id

    def duplicate_episode(self, rating_key: int) -> int:
        with self.lock:
            return self.library.duplicate_episode(int(rating_key)).rating_key

    def versions_of(self, rating_key: int) -> list:
        with self.lock:
            item = self.library.items.get(int(rating_key))
            return list(item.versions()) if item else []

    # routes ----------------------------------------------------------------------------------
    @route("DELETE", r"/library/metadata/(?P<rk>\d+)/media/(?P<mid>\d+)")
    def _delete_media(self, req: Request, rk: str, mid: str):
        with self.lock:
            if not self.allow_media_deletion:
                return bad_request("Media deletion is not allowed on this server.")
            item = self.library.items.get(int(rk))
            if item is None or not self.library.delete_version(int(rk), int(mid)):
                return not_found()
            self.deleted_media.append((int(rk), int(mid)))
        return empty_response()

    @route("GET", r"/library/recentlyAdded")
    def _recently_added(self, req: Request):
        return self._recent_page(req, None)

    @route("GET", r"/library/sections/(?P<sec>\d+)/recentlyAdded")
    def _section_recently_added(self, req: Request, sec: str):
        if int(sec) not in self.library.sections:
            return not_found()
        return self._recent_page(req, int(sec))

    def _recent_page(self, req: Request, section_key: int | None):
        start, size = paging(req.query, req.headers)
        with self.lock:
            found = self.library.recently_added(section_key)
            root = container(size=0, allowSync=1, identifier="com.plexapp.plugins.library",
                             mediaTagPrefix="/system/bundle/media/flags/",
                             title1="Recently Added", **totals(found, start, size))
            for item in page(found, start, size):
                item_element(root, self.library, item, req.query.get("includeGuids") == "1")
        root.set("size", str(len(root)))
        return xml_response(root)
