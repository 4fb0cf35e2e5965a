"""Posters in the Plex double: uploads by url or by body, the poster list, and the image.

A collection keeps every upload (`upload://posters/…`, the newest one selected) and serves the
stored bytes at `thumb`; any other item keeps only the bytes of its last upload. Without an
upload the list holds the agent's TMDB poster, as on a real server.
"""

from __future__ import annotations

import hashlib
import time

from tests.fakes.base import Request, Response, route
from tests.fakes.plex.errors import bad_request, not_found
from tests.fakes.plex.xml import container, empty_response, sub, xml_response


class PosterRoutes:
    """Mixed into PlexServerDouble; needs `collections`, `library`, `lock` and CollectionRoutes'
    `_changed()`."""

    def _init_posters(self) -> None:
        self._posters: dict[int, bytes | None] = {}  # uploads to items that are not collections

    # inspection helpers ----------------------------------------------------------------------
    def poster(self, collection_id: int) -> bytes | None:
        with self.lock:
            col = self.collections.get(int(collection_id))
            return col.poster if col else self._posters.get(int(collection_id))

    # routes ----------------------------------------------------------------------------------
    @route("POST", r"/library/metadata/(?P<rk>\d+)/posters")
    def _upload_poster(self, req: Request, rk: str):
        with self.lock:
            key = int(rk)
            if key not in self.collections and key not in self.library.items:
                return not_found()
            if "url" in req.query:
                self._store_poster(key, None, req.query["url"])
            elif req.body:
                self._store_poster(key, req.body, None)
            else:
                return bad_request("a poster needs a url or a body")
        return empty_response()

    def _store_poster(self, key: int, data: bytes | None, url: str | None) -> None:
        upload = f"upload://posters/{hashlib.sha1(data or url.encode()).hexdigest()}"
        col = self.collections.get(key)
        if col is None:
            self._posters[key] = data
            return
        col.poster, col.poster_url = data, url
        col.poster_at = max(int(time.time()), col.poster_at + 1)
        col.uploads.append(upload)
        self._changed(col)

    @route("GET", r"/library/metadata/(?P<rk>\d+)/posters")
    def _list_posters(self, req: Request, rk: str):
        with self.lock:
            col = self.collections.get(int(rk))
            uploads = col.uploads if col else []
            if col is None and int(rk) not in self.library.items:
                return not_found()
        root = container(size=len(uploads) or 1, identifier="com.plexapp.plugins.library")
        for n, upload in enumerate(uploads):
            sub(root, "Photo", key=f"/library/metadata/{rk}/file?url={upload}", ratingKey=upload,
                selected=int(n == len(uploads) - 1), thumb=f"/library/metadata/{rk}/thumb",
                provider="local")
        if not uploads:
            sub(root, "Photo", key=f"https://image.tmdb.org/t/p/original/poster{rk}.jpg",
                ratingKey=f"tmdb-poster-{rk}", selected=1, provider="com.plexapp.agents.tmdb",
                thumb=f"https://image.tmdb.org/t/p/w300/poster{rk}.jpg")
        return xml_response(root)

    @route("GET", r"/library/metadata/(?P<rk>\d+)/thumb(?:/\d+)?")
    def _poster_image(self, req: Request, rk: str):
        data = self.poster(int(rk))
        if not data:
            return not_found()
        return Response(200, data, content_type="image/jpeg")
