"""Collections in the Plex double: create, list, add, remove, move and sort (posters: posters.py).

Paths are the ones plexapi 4.18.3 uses. What the server stores is the custom order (the `uri`
order on create, or release order when `release_order_on_create` is set, then appends and
moves); what `children` returns depends on `collectionSort` (0 release date, 1 title,
2 custom), as on a real server.

Labels: `PUT /library/sections/{sec}/all?type=18&id={rk}&label[0].tag.tag=a&label.locked=1`
sets a collection's labels to the ones listed (plexapi's EditTagsMixin.addLabel sends the
current labels plus the new ones, indexed from 0), and `label[].tag.tag-=a,b` removes those
(its removeLabel); pkkid/python-plexapi plexapi/mixins/edit.py `_tagHelper`. The server double
sends the rest of the request (title, summary) on to its field edits. A collection's metadata
(`/library/metadata/{rk}`, `/library/collections/{rk}`) lists its labels as `<Label tag=…>`
children, as a real server's does, so plexapi's `collection.labels` reads them.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from xml.etree import ElementTree

from tests.fakes.base import Request, Response, route
from tests.fakes.plex.errors import bad_request, not_found
from tests.fakes.plex.records import TYPE_CODES, title_sort
from tests.fakes.plex.xml import (
    collection_element,
    container,
    empty_response,
    sub,
    xml_response,
)

_METADATA = re.compile(r"/library/(?:metadata|collections)/\d+(?:,\d+)*")

_URI = re.compile(r"server://([^/]+)/com\.plexapp\.plugins\.library/library/metadata/([\d,]+)")
SORT_VALUES = {0, 1, 2}
MODE_VALUES = {-1, 0, 1, 2}


@dataclass
class Collection:
    rating_key: int
    section: int
    title: str
    subtype: str  # the kind of its items: movie | show | season | episode
    items: list[int]  # the stored (custom) order
    added_at: int
    updated_at: int
    sort: int = 0  # collectionSort: 0 release date, 1 alphabetical, 2 custom
    mode: int = -1
    summary: str = ""
    poster: bytes | None = None
    poster_url: str | None = None
    poster_at: int = 0
    uploads: list[str] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)

    @property
    def guid(self) -> str:
        digest = hashlib.md5(f"collection-{self.rating_key}".encode()).hexdigest()
        return f"collection://{digest[:8]}-{digest[8:12]}-{digest[12:16]}-{digest[16:20]}-" \
               f"{digest[20:32]}"

    @property
    def sort_title(self) -> str:
        return title_sort(self.title)


class CollectionRoutes:
    """Mixed into PlexServerDouble; needs `library`, `lock`, `machine_identifier`, `now()`."""

    release_order_on_create = False  # store new collections in release order, not uri order

    def _init_collections(self) -> None:
        self.collections: dict[int, Collection] = {}

    # inspection helpers ----------------------------------------------------------------------
    def labels_of(self, collection_id: int) -> list[str]:
        with self.lock:
            return list(self.collections[int(collection_id)].labels)

    def _labels_shown(self, req: Request, answer: Response) -> Response:
        """The collections' `<Label>` children added to a metadata answer."""
        if req.method != "GET" or answer.status != 200 or not _METADATA.fullmatch(req.path):
            return answer
        with self.lock:
            if not any(self.collections.get(int(k), Collection(0, 0, "", "", [], 0, 0)).labels
                       for k in req.path.rsplit("/", 1)[1].split(",")):
                return answer
            root = ElementTree.fromstring(answer.body)
            for el in root:
                col = self.collections.get(int(el.get("ratingKey") or 0))
                for n, label in enumerate(col.labels if col else ()):
                    sub(el, "Label", id=9_000 + n, filter=f"label={label}", tag=label)
        return xml_response(root)

    def _take_label_edit(self, req: Request) -> None:
        """Apply the label part of an accepted field edit (see the module docstring)."""
        set_to = sorted((int(k[6:k.index("]")]), v) for k, v in req.query.items()
                        if re.fullmatch(r"label\[\d+\]\.tag\.tag", k))
        gone = req.query.get("label[].tag.tag-")
        if not set_to and gone is None:
            return
        with self.lock:
            for key in (int(k) for k in req.query.get("id", "").split(",") if k):
                col = self.collections.get(key)
                if col is None:
                    continue
                if set_to:
                    col.labels = list(dict.fromkeys(v for _, v in set_to))
                if gone is not None:
                    drop = set(gone.split(","))
                    col.labels = [t for t in col.labels if t not in drop]
                self._changed(col)

    def collection_by_title(self, section_id: int, title: str) -> Collection | None:
        with self.lock:
            return next((c for c in self.collections.values()
                         if c.section == int(section_id) and c.title == title), None)

    def collection_items(self, collection_id: int) -> list[int]:
        """The stored custom order."""
        with self.lock:
            return list(self.collections[int(collection_id)].items)

    def collection_view(self, collection_id: int) -> list[int]:
        """The order a viewer sees, after `collectionSort`."""
        with self.lock:
            return [i.rating_key for i in self._ordered(self.collections[int(collection_id)])]

    def collection_sort(self, collection_id: int) -> int:
        with self.lock:
            return self.collections[int(collection_id)].sort

    def _memberships(self, keys) -> dict[int, list[Collection]]:
        """Rating key (of `keys`) -> the collections holding it (callers hold the lock).

        Only the keys being answered: a whole-server map cost a Python loop over every row's
        every item (~100,000 with fifty viewers) on each page, which made the double, not the
        client under test, most of a sweep's time; and not at all for a request that excludes
        the <Collection> elements (every row read does)."""
        wanted = set(keys)
        held: dict[int, list[Collection]] = {}
        for col in self.collections.values():
            for key in wanted.intersection(col.items):
                held.setdefault(key, []).append(col)
        return held

    # create and read -------------------------------------------------------------------------
    @route("POST", r"/library/collections/?")
    def _create_collection(self, req: Request):
        q = req.query
        if q.get("smart", "0") != "0":
            return bad_request("the double does not model smart collections")
        with self.lock:
            section = self.library.sections.get(int(q.get("sectionId") or 0))
            kind = next((k for k, v in TYPE_CODES.items() if str(v) == q.get("type")), None)
            if section is None or kind is None or not q.get("title"):
                return bad_request("sectionId, type and title are required")
            keys = self._uri_items(q.get("uri", ""), section.key, kind)
            if isinstance(keys, Response):
                return keys
            col = self._new_collection(section.key, q["title"], kind, keys)
            root = container(size=1)
            collection_element(root, self.library, col)
        return xml_response(root)

    def _new_collection(self, section: int, title: str, kind: str, keys: list[int]):
        if self.release_order_on_create:
            keys = sorted(keys, key=self._release_key)
        now = self.now()
        col = Collection(self.library.allocate_key(), section, title, kind, keys, now, now)
        self.collections[col.rating_key] = col
        self.library.touch(section)
        return col

    def _uri_items(self, uri: str, section: int, kind: str):
        """Rating keys named by a `server://…/library/metadata/a,b` uri that belong here.

        Items of another library or another type are dropped, once each, in uri order."""
        match = _URI.fullmatch(uri)
        if not match or match[1] != self.machine_identifier:
            return bad_request(f"bad uri {uri!r}")
        keys = []
        for key in (int(k) for k in match[2].split(",") if k):
            item = self.library.items.get(key)
            if item and item.section == section and item.kind == kind and key not in keys:
                keys.append(key)
        return keys

    def _release_key(self, key: int):
        item = self.library.items[key]
        return item.release, item.sort_title

    def _ordered(self, col: Collection) -> list:
        items = [self.library.items[k] for k in col.items if k in self.library.items]
        if col.sort == 1:
            return sorted(items, key=lambda i: i.sort_title)
        if col.sort == 0:
            return sorted(items, key=lambda i: (i.release, i.sort_title))
        return items

    @route("GET", r"/library/collections/(?P<rk>\d+)")
    def _get_collection(self, req: Request, rk: str):
        with self.lock:
            col = self.collections.get(int(rk))
            if col is None:
                return not_found()
            prefs = req.query.get("includePreferences") == "1"
            root = container(size=1, **self._section_attrs(col.section))
            collection_element(root, self.library, col, prefs)
        return xml_response(root)

    @route("GET", r"/library/collections/(?P<rk>\d+)/children")
    def _collection_children(self, req: Request, rk: str):
        with self.lock:
            col = self.collections.get(int(rk))
            if col is None:
                return not_found()
            ordered = self._ordered(col)
        return xml_response(self._item_page(req, col.section, ordered,
                                            ratingKey=col.rating_key, title1=col.title))

    # change ----------------------------------------------------------------------------------
    @route("PUT", r"/library/collections/(?P<rk>\d+)/items")
    def _add_collection_items(self, req: Request, rk: str):
        with self.lock:
            col = self.collections.get(int(rk))
            if col is None:
                return not_found()
            keys = self._uri_items(req.query.get("uri", ""), col.section, col.subtype)
            if isinstance(keys, Response):
                return keys
            col.items.extend(k for k in keys if k not in col.items)
            self._changed(col)
            root = container(size=1)
            collection_element(root, self.library, col)
        return xml_response(root)

    @route("DELETE", r"/library/collections/(?P<rk>\d+)/items/(?P<item>\d+)")
    def _remove_collection_item(self, req: Request, rk: str, item: str):
        with self.lock:
            col = self.collections.get(int(rk))
            if col is None or int(item) not in col.items:
                return not_found()
            col.items.remove(int(item))
            self._changed(col)
        return empty_response()

    @route("PUT", r"/library/collections/(?P<rk>\d+)/items/(?P<item>\d+)/move")
    def _move_collection_item(self, req: Request, rk: str, item: str):
        with self.lock:
            col = self.collections.get(int(rk))
            after = req.query.get("after")
            if col is None or int(item) not in col.items:
                return not_found()
            if after and int(after) not in col.items:
                return bad_request(f"{after} is not in the collection")
            col.items.remove(int(item))
            col.items.insert(col.items.index(int(after)) + 1 if after else 0, int(item))
            self._changed(col)
        return empty_response()

    @route("PUT", r"/library/(?:collections|metadata)/(?P<rk>\d+)/prefs")
    def _collection_prefs(self, req: Request, rk: str):
        with self.lock:
            col = self.collections.get(int(rk))
            if col is None:
                return not_found()
            try:
                sort = int(req.query.get("collectionSort", col.sort))
                mode = int(req.query.get("collectionMode", col.mode))
            except ValueError:
                return bad_request("collectionSort and collectionMode are numbers")
            if sort not in SORT_VALUES or mode not in MODE_VALUES:
                return bad_request("unknown collectionSort or collectionMode")
            col.sort, col.mode = sort, mode
            self._changed(col)
        return empty_response()

    @route("DELETE", r"/library/collections/(?P<rk>\d+)")
    def _delete_collection_route(self, req: Request, rk: str):
        with self.lock:
            if int(rk) not in self.collections:
                return not_found()
            self._delete_collection(int(rk))
        return empty_response()

    def _delete_collection(self, rk: int) -> None:
        col = self.collections.pop(rk)
        self._drop_hub(col.section, rk)
        self.library.touch(col.section)

    def _changed(self, col: Collection) -> None:
        col.updated_at = max(self.now(), col.updated_at)
        self.library.touch(col.section)
