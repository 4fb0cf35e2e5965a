"""The mirror of Plex: viewers, libraries and an item index per selected library.

Indexing reads `/library/sections/{key}/all` in pages of PAGE_SIZE raw elements (one request
per page, no per-item reloads), parsing each answer as it streams in and upserting every
UPSERT_BATCH items as they arrive, so a 20,000-item library costs ~20 requests and no page is
ever held whole (not its text, nor its XML tree, nor its rows). Afterwards a library is re-read only
when its section's updatedAt/contentChangedAt moved, and then only items updated since the
last sync; one count request detects removals (then a full sweep marks and deletes them).
Matching a TMDB id to a ratingKey is a database lookup (lookup.py): zero Plex requests.
"""

from __future__ import annotations

import logging
from urllib.parse import urlencode

from django.db import transaction
from django.utils import timezone

from vault.clients import http
from vault.clients import plex as plex_client
from vault.clients.errors import ServiceError, translate
from vault.clients.factory import plex_server
from vault.clients.plex import library_sections
from vault.mirror.parse import item_fields
from vault.models import PlexItem, PlexLibrary, PlexViewer

log = logging.getLogger(__name__)
PAGE_SIZE = 1000
UPSERT_BATCH = 500  # items per bulk upsert, written as they arrive
TYPE_CODES = {"movie": 1, "show": 2}
UPSERT_FIELDS = ["kind", "title", "year", "guid", "tmdb_id", "imdb_id", "tvdb_id",
                 "duration_ms", "added_at", "updated_at", "originally_available_at",
                 "versions", "generation"]


# libraries -----------------------------------------------------------------------------------
def sync_libraries(server) -> list[PlexLibrary]:
    """Mirror the server's movie and show libraries (one request). New ones are selected."""
    sections = [s for s in library_sections(server) if s.get("type") in TYPE_CODES]
    known = {lib.key: lib for lib in PlexLibrary.objects.all()}
    seen = []
    with transaction.atomic():
        for s in sections:
            lib = known.get(s.get("key")) or PlexLibrary(key=s.get("key"), selected=True)
            lib.kind, lib.title = s.get("type"), s.get("title") or ""
            lib.uuid, lib.agent = s.get("uuid") or "", s.get("agent") or ""
            lib.plex_updated_at = int(s.get("updatedAt") or 0)
            lib.plex_content_changed_at = int(s.get("contentChangedAt") or 0)
            lib.present = True
            lib.save()
            seen.append(lib)
        PlexLibrary.objects.exclude(key__in=[lib.key for lib in seen]).update(present=False)
    return seen


def selected_libraries(kind: str | None = None):
    """Selected libraries still on the server, optionally of one kind ("movie"/"show")."""
    found = PlexLibrary.objects.filter(selected=True, present=True)
    return found.filter(kind=kind) if kind else found


# viewers -------------------------------------------------------------------------------------
def _plextv_users(server) -> dict[int, object]:
    """plex.tv's shared and managed users by id; {} when plex.tv cannot be asked."""
    try:
        with translate("plextv", http.timeout()):
            return {int(u.id): u for u in server.myPlexAccount().users()}
    except ServiceError as exc:
        log.warning("Viewer kinds from plex.tv are unavailable: %s", exc)
        return {}


def sync_viewers(server) -> list[PlexViewer]:
    """Mirror the server's accounts: owner (id 1), shared and managed users."""
    with translate("plex", http.timeout()):
        accounts = [a for a in server.systemAccounts() if a.id and a.name]
    users = _plextv_users(server) if len(accounts) > 1 else {}
    known = {v.account_id: v for v in PlexViewer.objects.all()}
    now, seen = timezone.now(), []
    with transaction.atomic():
        for a in accounts:
            viewer = known.get(a.id) or PlexViewer(account_id=a.id, monitored=True)
            user = users.get(a.id)
            viewer.name, viewer.is_owner = a.name, a.id == 1
            viewer.kind = "owner" if a.id == 1 else (
                "managed" if user is not None and user.home else "shared")
            viewer.plextv_id = int(user.id) if user is not None else viewer.plextv_id
            viewer.present, viewer.synced_at = True, now
            viewer.save()
            seen.append(viewer)
        PlexViewer.objects.exclude(account_id__in=[v.account_id for v in seen])\
            .update(present=False)
    return seen


# items ---------------------------------------------------------------------------------------
class _Counter:
    def __init__(self):
        self.requests = 0


def _page(server, library: PlexLibrary, params: dict, start: int, size: int, counter):
    """One page of the listing: (its container's attributes, a stream of its elements). The
    elements come one at a time off the socket (vault.clients.plex.listing)."""
    path = f"/library/sections/{library.key}/all?{urlencode(params)}"
    headers = {"X-Plex-Container-Start": str(start), "X-Plex-Container-Size": str(size)}
    counter.requests += 1
    elements = plex_client.listing(server, path, headers, what=f"“{library.title}”")
    return next(elements).attrib, elements


def _read(server, library: PlexLibrary, params: dict, generation: int, counter,
          stats: dict) -> int:
    """Read the listing page by page and upsert it UPSERT_BATCH items at a time as the items
    arrive, keeping no page whole; returns the highest updatedAt seen. Reads on until a short
    page: a listing may come without totalSize (then a full page means "maybe more")."""
    start, high, rows = 0, 0, []
    while True:
        container, elements = _page(server, library, params, start, PAGE_SIZE, counter)
        read = 0
        for element in elements:
            if element.tag == "Meta":
                continue
            read += 1
            if element.get("ratingKey"):
                rows.append(item_fields(element))
            if len(rows) >= UPSERT_BATCH:
                high = max(high, _upsert(library, rows, generation))
                stats["fetched"] += len(rows)
                rows = []
        total = container.get("totalSize")
        start += read
        if read < PAGE_SIZE or (total is not None and start >= int(total)):
            break
    if rows:
        high = max(high, _upsert(library, rows, generation))
        stats["fetched"] += len(rows)
    return high


def _listing_params(library: PlexLibrary, **filters) -> dict:
    return {"type": TYPE_CODES[library.kind], "includeGuids": 1, "sort": "addedAt",
            **filters}


def _upsert(library: PlexLibrary, rows: list[dict], generation: int) -> int:
    items = [PlexItem(library=library, generation=generation, **row) for row in rows]
    PlexItem.objects.bulk_create(items, batch_size=UPSERT_BATCH, update_conflicts=True,
                                 unique_fields=["library", "rating_key"],
                                 update_fields=UPSERT_FIELDS)
    return max((row["updated_at"] for row in rows), default=0)


def _full(server, library: PlexLibrary, counter, stats: dict) -> None:
    generation = library.generation + 1
    high = _read(server, library, _listing_params(library), generation, counter, stats)
    stats["removed"] = library.items.filter(generation__lt=generation).delete()[0]
    library.generation, library.item_high_water = generation, high


def _server_total(server, library: PlexLibrary, counter) -> int:
    container, elements = _page(server, library, _listing_params(library), 0, 0, counter)
    for _ in elements:  # a size-0 page has none; read to the end of the answer
        pass
    return int(container.get("totalSize") or container.get("size") or 0)


def _incremental(server, library: PlexLibrary, counter, stats: dict) -> None:
    since = max(library.item_high_water - 1, 0)
    params = _listing_params(library, **{"updatedAt>>": since})
    high = _read(server, library, params, library.generation, counter, stats)
    library.item_high_water = max(library.item_high_water, high)
    if library.items.count() != _server_total(server, library, counter):
        stats["mode"] = "full (items were removed)"
        _full(server, library, counter, stats)


def index_library(server, library: PlexLibrary, full: bool = False) -> dict:
    """Bring one library's index up to date. Call sync_libraries first (it records the
    section stamps that say whether anything changed). Returns stats incl. `requests`."""
    counter = _Counter()
    mode = "full" if full or library.indexed_at is None else (
        "incremental" if library.needs_index else "unchanged")
    stats = {"library": library.key, "mode": mode, "fetched": 0, "removed": 0}
    if mode == "full":
        _full(server, library, counter, stats)
    elif mode == "incremental":
        _incremental(server, library, counter, stats)
    if mode != "unchanged":
        library.indexed_updated_at = library.plex_updated_at
        library.indexed_content_changed_at = library.plex_content_changed_at
        library.indexed_at = timezone.now()
        library.item_count = library.items.count()
        library.save()
    stats["requests"], stats["items"] = counter.requests, library.item_count
    return stats


def refresh(server=None, full: bool = False) -> dict:
    """Libraries, viewers and every selected library's index; what a job or button calls."""
    server = server or plex_server()
    sync_libraries(server)
    viewers = sync_viewers(server)
    libraries = [index_library(server, lib, full=full) for lib in selected_libraries()]
    return {"viewers": len(viewers), "libraries": libraries}


def read_structure_after_save() -> str:
    """After Plex is saved: mirror its libraries and viewers now (two or three requests), so
    the Command Center can offer them at once; items are indexed by the next job or refresh.
    Returns a sentence for the user; a failure is reported, never raised."""
    try:
        server = plex_server()
        libraries = sync_libraries(server)
        viewers = sync_viewers(server)
    except ServiceError as exc:
        return f"Saved, but Plex could not be read yet: {exc}"
    return (f"Read {len(libraries)} libraries and {len(viewers)} viewers from Plex; "
            "choose them in the Command Center.")
