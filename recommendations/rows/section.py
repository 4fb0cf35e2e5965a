"""One section as a row sync keeps it: the collections and hubs read once and kept in step with
our own writes, the learned-sort memory of each server, and the outcome of one row."""

from __future__ import annotations

from dataclasses import dataclass, field

from recommendations.rows.plan import Flags
from vault.clients.collections import CUSTOM_SORT, CollectionInfo, HubInfo, PlexRows
from vault.clients.errors import ServiceError

_CREATE_REORDERS: set[str] = set()  # servers seen storing new collections in their own order
# (server, collection) we created or set to custom sort: real section listings do not carry
# collectionSort, so without this every run would re-send the sort and re-read the row.
_CUSTOM_SORTED: set[tuple[str, int]] = set()


def forget_learned() -> None:
    _CREATE_REORDERS.clear()
    _CUSTOM_SORTED.clear()


@dataclass
class SectionState:
    """The collections and managed hubs of one section: read once, then kept in step with our
    own writes so no step has to read them again."""

    collections: list[CollectionInfo]
    hubs: list[HubInfo]
    server_id: str = ""
    # Private rows: promotions that would show a row to other accounts (Friends' Home, Library
    # Recommended) wait in `held` until the share filters exclude it (apply.sync_section).
    hold: bool = False
    held: list = field(default_factory=list)  # [(rating_key, RowSpec)]
    labelled: set[int] = field(default_factory=set)

    @classmethod
    def read(cls, plex: PlexRows) -> SectionState:
        state = cls(plex.collections(), plex.hubs(),
                    str(getattr(plex.server, "machineIdentifier", "") or ""))
        for c in state.collections:
            if c.sort == CUSTOM_SORT:
                state.learn_sorted(c.rating_key)
            elif c.sort is None and (state.server_id, c.rating_key) in _CUSTOM_SORTED:
                c.sort = CUSTOM_SORT
        return state

    def learn_sorted(self, rating_key: int) -> None:
        _CUSTOM_SORTED.add((self.server_id, rating_key))

    @property
    def create_reorders(self) -> bool:
        return self.server_id in _CREATE_REORDERS

    def learn_create_reorders(self) -> None:
        _CREATE_REORDERS.add(self.server_id)

    def hub_map(self) -> dict[int, HubInfo]:
        return {h.collection: h for h in self.hubs if h.collection is not None}

    def titles(self) -> dict[int, str]:
        return {c.rating_key: c.title for c in self.collections}

    def created(self, rating_key: int, title: str, count: int) -> None:
        self.collections.append(CollectionInfo(rating_key, title, CUSTOM_SORT, count))
        self.learn_sorted(rating_key)

    def forget(self, rating_key: int) -> None:
        self.collections = [c for c in self.collections if c.rating_key != rating_key]
        self.hubs = [h for h in self.hubs if h.collection != rating_key]

    def pinned(self, plex: PlexRows, rating_key: int, flags: Flags, title: str) -> None:
        hub = self.hub_map().get(rating_key)
        if hub is None:  # Plex lists a newly promoted collection last
            self.hubs.append(HubInfo(plex.identifier(rating_key), rating_key, *flags,
                                     title=title))
        else:
            hub.recommended, hub.own_home, hub.shared_home = flags


@dataclass
class RowOutcome:
    title: str
    kind: str
    path: str
    collection: int | None = None
    ok: bool = True
    requests: int = 0
    writes: int = 0
    verified: bool | None = None
    verify: str = ""  # "full" | "head" (a new row whose first page came back as sent)
    missing: list[int] = field(default_factory=list)  # desired items this library lacks
    poster_uploaded: str | None = None  # sha256 of the poster sent, if one was
    held: bool = False  # its promotion waited for the share filters (private rows)
    error: dict | None = None
    rollback: str | None = None

    def as_dict(self) -> dict:
        return dict(self.__dict__)


def error_dict(exc: ServiceError) -> dict:
    return {"service": "plex", "step": getattr(exc, "step", ""), "reason": str(exc),
            "status": exc.status, "transient": exc.transient}
