"""One section as a row sync keeps it: the collections and hubs read once and kept in step with
our own writes, the learned-sort memory of each server, and the outcome of one row."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from recommendations.rows.hubs import plan_hub_order
from recommendations.rows.plan import Flags, apply_moves
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
        for c in self.collections:
            if c.rating_key == rating_key:
                c.sort = CUSTOM_SORT

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


class SectionStates:
    """One read of each section for a whole sweep, shared by the syncs of all its viewers.

    A sweep syncs every viewer's rows in a library one after the other; each sync used to read
    the section's collections and hubs again (2 requests per viewer × library × job, more than
    the rows themselves cost when nothing changed). The state is kept in step with our own
    writes, so the next viewer's sync can start from it. What it cannot see is another run
    writing the same section meanwhile (a watch-triggered run on another worker), so it is
    read again when:
      - it is older than MAX_AGE seconds;
      - a row this viewer has in our ledger (RowCollection, read fresh from the database by
        the caller) is not in it: another run made or remade that row, and syncing against
        the old listing would create a second one;
      - a sync on it failed (`drop`): whatever went wrong, the next sync starts from Plex.
    Hub moves computed from a listing another run changed may point at a hub that is gone;
    apply.sync_section then reads the hubs again and orders them once more.
    """

    MAX_AGE = 60.0  # seconds

    def __init__(self) -> None:
        self._states: dict[int, tuple[SectionState, float]] = {}
        self.reads = 0

    def get(self, plex: PlexRows, ours: set[int] = frozenset()) -> tuple[SectionState, bool]:
        """(state, fresh): the section's state, read now if the kept one cannot be trusted."""
        kept = self._states.get(plex.section)
        if kept is not None:
            state, read_at = kept
            known = {c.rating_key for c in state.collections}
            if time.monotonic() - read_at <= self.MAX_AGE and set(ours) <= known:
                state.hold, state.held, state.labelled = False, [], set()
                return state, False
        state = SectionState.read(plex)
        self.reads += 1
        self._states[plex.section] = (state, time.monotonic())
        return state, True

    def drop(self, plex: PlexRows) -> None:
        self._states.pop(plex.section, None)


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


def order_hubs(plex: PlexRows, state: SectionState) -> list[tuple[str, str | None]]:
    """Put the curated rows first, in the fixed order; returns the hub moves made."""
    moves = plan_hub_order(state.hubs, state.titles())
    done = []
    for identifier, after in moves:
        plex.move_hub(identifier, after)
        done.append((identifier, after))
        by_id = {h.identifier: h for h in state.hubs}
        order = apply_moves([h.identifier for h in state.hubs], [(identifier, after)])
        state.hubs = [by_id[i] for i in order]
    return done


def order_again(plex: PlexRows, state: SectionState) -> list[tuple[str, str | None]]:
    """Order the hubs from a new read of them (the kept ones were out of date)."""
    state.hubs = plex.hubs()
    return order_hubs(plex, state)
