"""Plex collections and hubs: the requests a row sync makes, each exactly once, through
plexapi's public `server.query` on the pooled Plex session (vault.clients.http).

plexapi's object methods cost extra requests here (`sortUpdate` reads preferences first,
`visibility()` and `promote*()` re-read the hub list, `items()` pages by 100) and need full
objects where a rating key is all we hold. So these helpers send the documented request shapes
(docs/EXTERNAL_APIS.md, Plex section) through the same plexapi server: one call, one request.
Every failure becomes a typed `vault.clients.errors.ServiceError` naming Plex, with `.step`
set to what the sync was doing.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from plexapi import utils

from vault.clients import http
from vault.clients.errors import InternalError, ServiceError, from_exception, is_service_failure

if TYPE_CHECKING:
    import requests

log = logging.getLogger(__name__)

COLLECTION_TYPE = 18
CUSTOM_SORT = 2
PAGE = 5000  # one read for any row we build; more pages only for giant foreign collections
SEARCH_TYPES = {"movie": 1, "show": 2}
# Item ids travel in the query string of a create or add (`uri=…/metadata/1%2C2%2C3`). Reverse
# proxies commonly refuse request lines over 8 KiB (nginx, Apache defaults), so a long row is
# sent in chunks whose id list stays under this many characters: ~850 four-digit ids a request,
# so a 1,250-item row costs one create and one add.
URI_BUDGET = 6000
# A row read needs only each child's ratingKey: ask Plex to leave out the heavy parts (plexapi
# sends the same to real servers when it reloads partial objects; the double ignores them).
LIGHT = ("?excludeElements=Media,Genre,Country,Guid,Rating,Collection,Director,Writer,Role,"
         "Producer,Similar,Style,Mood,Format&excludeFields=summary,tagline")


def uri_chunks(keys: list[int], budget: int | None = None) -> list[list[int]]:
    """`keys` in order, cut so that each part's url-encoded id list fits `budget`."""
    budget = budget or URI_BUDGET
    chunks: list[list[int]] = []
    chunk: list[int] = []
    size = 0
    for key in keys:
        cost = len(str(key)) + 3  # the id and its encoded comma (%2C)
        if chunk and size + cost > budget:
            chunks.append(chunk)
            chunk, size = [], 0
        chunk.append(key)
        size += cost
    return [*chunks, chunk] if chunk else chunks


@dataclass
class CollectionInfo:
    rating_key: int
    title: str
    sort: int | None  # None: the listing did not say (real type=18 listings never do)
    child_count: int
    thumb: str = ""

    @property
    def has_poster(self) -> bool:
        """Plex serves a composite of the items until a poster is uploaded."""
        return bool(self.thumb) and "/composite/" not in self.thumb


@dataclass
class HubInfo:
    identifier: str
    collection: int | None
    recommended: bool
    own_home: bool
    shared_home: bool
    title: str = ""

    @property
    def flags(self) -> tuple[bool, bool, bool]:
        return self.recommended, self.own_home, self.shared_home


def _int_or_none(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@dataclass
class PlexRows:
    """One Plex library section as a row sync sees it, with a count of the requests made."""

    server: object  # plexapi.server.PlexServer
    section: int
    media: str  # "movie" | "show"
    requests: int = 0
    writes: int = 0
    log: list[str] = field(default_factory=list)
    # The pooled Plex session: the one vault.clients.plex.connect() built the server with, so
    # writes get the same retries, timeout and transaction guard as the server's own reads.
    session: requests.Session = field(default_factory=lambda: http.session("plex"), repr=False)

    # transport -------------------------------------------------------------------------------
    def _send(self, step: str, method: str, key: str, **kwargs):
        session = self.session
        verb = {"GET": session.get, "POST": session.post, "PUT": session.put,
                "DELETE": session.delete}[method]
        self.requests += 1
        if method != "GET":
            self.writes += 1
        self.log.append(f"{method} {key.split('?', 1)[0]}")
        try:
            return self.server.query(key, method=verb, **kwargs)
        except Exception as exc:  # noqa: BLE001 - every failure becomes a typed error
            if not is_service_failure(exc):  # a bug of ours, not Plex's: keep its traceback
                log.exception("Internal error while %s (%s %s)", step, method,
                              key.split("?", 1)[0])
                raise InternalError(exc, step) from exc
            raise step_error(step, exc) from exc

    def uri(self, keys: list[int]) -> str:
        """The library uri of `keys` (what plexapi's private `_uriRoot()` builds)."""
        root = f"server://{self.server.machineIdentifier}/com.plexapp.plugins.library"
        return f"{root}/library/metadata/{','.join(str(k) for k in keys)}"

    # reads -----------------------------------------------------------------------------------
    def collections(self) -> list[CollectionInfo]:
        data = self._read_all("read collections", f"/library/sections/{self.section}/all"
                              f"?type={COLLECTION_TYPE}")
        # real listings carry no collectionSort: None = unknown (rows.section remembers ours)
        return [CollectionInfo(int(el.get("ratingKey")), el.get("title") or "",
                               _int_or_none(el.get("collectionSort")),
                               int(el.get("childCount") or 0), el.get("thumb") or "")
                for el in data if el.get("type") == "collection"]

    def children(self, rating_key: int) -> list[int]:
        data = self._read_all("read collection",
                              f"/library/collections/{rating_key}/children{LIGHT}")
        return [int(el.get("ratingKey")) for el in data if el.get("ratingKey")]

    def children_head(self, rating_key: int, size: int) -> tuple[list[int], int]:
        """The first `size` items of a collection, and how many it holds."""
        headers = {"X-Plex-Container-Start": "0", "X-Plex-Container-Size": str(size)}
        data = self._send("read collection", "GET",
                          f"/library/collections/{rating_key}/children{LIGHT}",
                          headers=headers)
        items = [int(el.get("ratingKey")) for el in (data if data is not None else [])
                 if el.get("ratingKey")]
        return items, int(data.get("totalSize") or len(items)) if data is not None else 0

    def hubs(self) -> list[HubInfo]:
        data = self._send("read hubs", "GET", f"/hubs/sections/{self.section}/manage")
        return [_hub(el) for el in (data if data is not None else []) if el.tag == "Hub"]

    def _read_all(self, step: str, key: str) -> list:
        found, start = [], 0
        while True:
            headers = {"X-Plex-Container-Start": str(start), "X-Plex-Container-Size": str(PAGE)}
            data = self._send(step, "GET", key, headers=headers)
            page = [el for el in (data if data is not None else []) if el.tag != "Meta"]
            found.extend(page)
            # no totalSize (real unpaged-style answers): read on until a short page
            total = data.get("totalSize") if data is not None else None
            start += len(page)
            if len(page) < PAGE or (total is not None and start >= int(total)):
                return found

    # collection writes -----------------------------------------------------------------------
    def create(self, title: str, keys: list[int]) -> int:
        """One request: `keys` must fit one uri (see `uri_chunks`); add the rest after."""
        args = {"uri": self.uri(keys), "type": SEARCH_TYPES[self.media], "title": title,
                "smart": 0, "sectionId": self.section}
        data = self._send("create collection", "POST",
                          f"/library/collections{utils.joinArgs(args)}")
        element = next((el for el in (data if data is not None else [])
                        if el.get("ratingKey")), None)
        if element is None:
            raise step_error("create collection", ValueError("no collection in the answer"))
        return int(element.get("ratingKey"))

    def add(self, rating_key: int, keys: list[int]) -> None:
        """One request per `uri_chunks` part (one for any row under ~850 items)."""
        for chunk in uri_chunks(keys):
            args = utils.joinArgs({"uri": self.uri(chunk)})
            self._send("add items", "PUT", f"/library/collections/{rating_key}/items{args}")

    def remove(self, rating_key: int, item: int) -> None:
        self._send("remove item", "DELETE", f"/library/collections/{rating_key}/items/{item}")

    def move(self, rating_key: int, item: int, after: int | None) -> None:
        key = f"/library/collections/{rating_key}/items/{item}/move"
        self._send("move item", "PUT", key + (f"?after={after}" if after is not None else ""))

    def custom_sort(self, rating_key: int) -> None:
        self._send("set custom sort", "PUT",
                   f"/library/collections/{rating_key}/prefs?collectionSort={CUSTOM_SORT}")

    def rename(self, rating_key: int, title: str) -> None:
        args = utils.joinArgs({"type": COLLECTION_TYPE, "id": rating_key, "title.value": title,
                               "title.locked": 1})
        self._send("rename collection", "PUT", f"/library/sections/{self.section}/all{args}")

    def label(self, rating_key: int, labels: list[str]) -> None:
        """Set a collection's labels (plexapi's addLabel request shape, EditTagsMixin)."""
        args = {"type": COLLECTION_TYPE, "id": rating_key, "label.locked": 1}
        args |= {f"label[{i}].tag.tag": label for i, label in enumerate(labels)}
        self._send("label collection", "PUT",
                   f"/library/sections/{self.section}/all{utils.joinArgs(args)}")

    def delete(self, rating_key: int) -> None:
        self._send("delete collection", "DELETE", f"/library/collections/{rating_key}")

    def upload_poster(self, rating_key: int, data: bytes) -> None:
        self._send("upload poster", "POST", f"/library/metadata/{rating_key}/posters", data=data)

    # hub writes ------------------------------------------------------------------------------
    def identifier(self, rating_key: int) -> str:
        return f"custom.collection.{self.section}.{rating_key}"

    def pin(self, rating_key: int, flags: tuple[bool, bool, bool], promoted: bool) -> None:
        params = {"promotedToRecommended": int(flags[0]), "promotedToOwnHome": int(flags[1]),
                  "promotedToSharedHome": int(flags[2])}
        base = f"/hubs/sections/{self.section}/manage"
        if promoted:
            self._send("pin row", "PUT", f"{base}/{self.identifier(rating_key)}", params=params)
        else:
            params["metadataItemId"] = rating_key
            self._send("pin row", "POST", base, params=params)

    def move_hub(self, identifier: str, after: str | None) -> None:
        key = f"/hubs/sections/{self.section}/manage/{identifier}/move"
        self._send("order rows", "PUT", key + (f"?after={after}" if after else ""))


def _hub(el) -> HubInfo:
    identifier = el.get("identifier") or ""
    prefix = "custom.collection."
    collection = int(identifier.rsplit(".", 1)[-1]) if identifier.startswith(prefix) else None
    return HubInfo(identifier, collection, _bool(el.get("promotedToRecommended")),
                   _bool(el.get("promotedToOwnHome")), _bool(el.get("promotedToSharedHome")),
                   el.get("title") or "")


def _bool(value) -> bool:
    return str(value).lower() in ("1", "true")


def step_error(step: str, exc: Exception) -> ServiceError:
    """The typed Plex error for `exc` (a failure of Plex's: a transport error, or an answer
    we could not use), remembering the sync step it happened in. Bugs of ours are not passed
    here: `_send` raises them as `InternalError`."""
    error = from_exception("plex", exc)
    error.step = step
    return error
