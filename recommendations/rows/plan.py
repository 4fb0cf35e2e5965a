"""Pure planning for a row sync: what to change in one Plex collection, and what it costs.

Nothing here talks to Plex. `plan_moves` finds the fewest "move X after Y" steps that turn one
order into another (n − longest increasing subsequence); `plan_row` compares updating the
collection in place with recreating it and keeps the path that costs fewer requests.
"""

from __future__ import annotations

import hashlib
from bisect import bisect_left
from dataclasses import dataclass, field

from vault.clients.collections import CollectionInfo, HubInfo, uri_chunks

Move = tuple[int, int | None]  # (item, the item it goes after; None = to the front)
Flags = tuple[bool, bool, bool]  # (Library Recommended, own Home, Friends' Home)
NO_PINS: Flags = (False, False, False)


def lis_keep(seq: list[int]) -> set[int]:
    """Indexes of one longest strictly increasing subsequence of `seq` (O(n log n))."""
    tails: list[int] = []  # tails[k] = smallest tail value of an increasing run of length k+1
    tail_at: list[int] = []  # index in seq of that tail
    parent = [-1] * len(seq)
    for i, value in enumerate(seq):
        k = bisect_left(tails, value)
        if k == len(tails):
            tails.append(value)
            tail_at.append(i)
        else:
            tails[k], tail_at[k] = value, i
        parent[i] = tail_at[k - 1] if k else -1
    keep, i = set(), tail_at[-1] if tail_at else -1
    while i != -1:
        keep.add(i)
        i = parent[i]
    return keep


def plan_moves(current: list[int], desired: list[int]) -> list[Move]:
    """Moves that reorder `current` into `desired` (the same items), keeping the longest run
    already in order in place: exactly len(desired) − LIS moves."""
    if current == desired and len(set(desired)) == len(desired):
        return []  # a kept row (most rows of most syncs)
    if sorted(current) != sorted(desired) or len(set(desired)) != len(desired):
        raise ValueError("plan_moves needs two orders of the same distinct items")
    position = {item: i for i, item in enumerate(desired)}
    kept = {current[i] for i in lis_keep([position[item] for item in current])}
    moves: list[Move] = []
    for i, item in enumerate(desired):
        if item not in kept:
            moves.append((item, desired[i - 1] if i else None))
    return moves


def apply_moves(order: list, moves: list[tuple]) -> list:
    """What Plex does with each move: take the item out, put it right after its anchor."""
    result = list(order)
    for item, after in moves:
        result.remove(item)
        result.insert(result.index(after) + 1 if after is not None else 0, item)
    return result


def sha256(data: bytes | None) -> str:
    return hashlib.sha256(data).hexdigest() if data else ""


@dataclass(frozen=True)
class RowSpec:
    """One row as it should be in Plex."""

    kind: str  # recently_watched | change_of_taste | immaculate_taste | fresh_out
    title: str  # with the viewer suffix: "Change of Taste (Bea)"
    base: str  # without it: "Change of Taste"
    viewer: str
    items: tuple[int, ...]
    pins: Flags
    poster: bytes | object | None = None  # bytes, or a posters.RowArt (drawn when sent)
    legacy: bool = False  # may adopt an un-suffixed row (the owner's, from single-user days)
    collection: int | None = None  # the rating key this row was last synced to (identity)
    foreign: frozenset[int] = frozenset()  # other viewers' rows: never this one, whatever title
    label: str | None = None  # the viewer's private label, put on a new collection at once
    written: tuple[int, ...] = ()  # `collection`'s items as the last sync left them (a hint)
    trusted: bool = False  # `written` was read back whole lately: a row kept may go unread

    @property
    def poster_sha(self) -> str:
        known = getattr(self.poster, "sha", None)
        return known if known is not None else sha256(self.poster)

    @property
    def poster_data(self) -> bytes | None:
        draw = getattr(self.poster, "data", None)
        return draw() if callable(draw) else self.poster


def _claim(spec: RowSpec, title: str) -> int | None:
    """How well a collection title names this row: 0 exact, 1 ignoring case, 2 a legacy row
    without viewer suffix; None when it is not this row (another viewer's, or unrelated)."""
    if title == spec.title:
        return 0
    if title.strip().casefold() == spec.title.casefold():
        return 1
    if spec.legacy and title.strip().casefold() == spec.base.casefold():
        return 2
    return None


def match_row(spec: RowSpec, collections: list[CollectionInfo],
              hubs: dict[int, HubInfo]) -> tuple[CollectionInfo | None, list[CollectionInfo]]:
    """The collection that is this row, and the other collections that claim it too.

    The collection the row was last synced to is it, whatever its title (a renamed viewer);
    another viewer's row never is (two viewers of one display name). Else, by title: the best
    name, then the promoted one, then the newest (after an interrupted recreate, the newest is
    the complete one)."""
    own = [c for c in collections if c.rating_key not in spec.foreign]
    claims = [(rank, c) for c in own if (rank := _claim(spec, c.title)) is not None
              or c.rating_key == spec.collection]
    claims.sort(key=lambda rc: (rc[1].rating_key != spec.collection, rc[0] or 0,
                                rc[1].rating_key not in hubs, -rc[1].rating_key))
    found = [c for _, c in claims]
    return (found[0] if found else None), found[1:]


@dataclass
class RowPlan:
    spec: RowSpec
    path: str  # create | update | recreate | delete | keep
    collection: int | None = None
    current: list[int] = field(default_factory=list)
    add: list[int] = field(default_factory=list)
    remove: list[int] = field(default_factory=list)
    moves: list[Move] = field(default_factory=list)  # none on a recreate: built in order
    set_sort: bool = False
    rename_from: str | None = None
    pins_from: Flags | None = None  # None: not promoted
    pin: bool = False
    upload_poster: bool = False
    drop: list[int] = field(default_factory=list)  # duplicate collections to delete
    cost: int = 0
    other_cost: int | None = None  # the path not taken
    read: bool = True  # False: planned from the last sync's order, the row was not read

    @property
    def title(self) -> str:
        return self.spec.title

    @property
    def desired(self) -> list[int]:
        return list(self.spec.items)

    @property
    def changes(self) -> bool:
        return self.path != "keep" or bool(self.drop)

    def as_dict(self, names: dict[int, str] | None = None) -> dict:
        """The plan as a readable diff (what a dry run shows)."""
        def item(key):
            return {"rating_key": key, "title": names.get(key, str(key))} if names else key
        other = {"update": "recreate", "recreate": "update"}.get(self.path)
        return {
            "title": self.title, "kind": self.spec.kind, "path": self.path,
            "collection": self.collection, "items": len(self.spec.items),
            "added": [item(k) for k in self.add], "removed": [item(k) for k in self.remove],
            "moved": [{"item": item(k), "after": item(a) if a is not None else None}
                      for k, a in self.moves],
            "sort": "custom" if self.set_sort or self.path in ("create", "recreate") else None,
            "rename": {"from": self.rename_from, "to": self.title} if self.rename_from else None,
            "pins": {"from": _pins_dict(self.pins_from), "to": _pins_dict(self.spec.pins)}
            if self.pin else None,
            "poster": "upload" if self.upload_poster else (
                "unchanged" if self.spec.poster else "none"),
            "duplicates_removed": list(self.drop),
            "estimated_requests": self.cost,
            "alternative": {"path": other, "estimated_requests": self.other_cost}
            if other else None,
        }


def _pins_dict(flags: Flags | None) -> dict:
    rec, own, shared = flags or NO_PINS
    return {"library_recommended": rec, "home": own, "friends_home": shared}


def plan_row(spec: RowSpec, found: CollectionInfo | None = None,
             current: list[int] | None = None, hub: HubInfo | None = None,
             duplicates: list[CollectionInfo] = (), poster_sha_known: str | None = None,
             create_reorders: bool = False) -> RowPlan:
    """The cheaper correct way to make `found` (holding `current`, in its shown order) into
    `spec`; an empty row is deleted, a missing one created."""
    drop = [c.rating_key for c in duplicates]
    desired = list(dict.fromkeys(spec.items))
    if not desired:
        path = "delete" if found else "keep"
        plan = RowPlan(spec, path, found.rating_key if found else None, list(current or []),
                       remove=list(current or []), drop=drop)
        plan.cost = len(drop) + (1 if found else 0)
        return plan
    if found is None:
        plan = RowPlan(spec, "create", drop=drop, pin=any(spec.pins),
                       upload_poster=bool(spec.poster))
        plan.cost = _build_cost(plan, desired, create_reorders, has_old=False)
        plan.add = desired
        return plan
    plan = _in_place(spec, found, list(current or []), desired, hub, poster_sha_known)
    plan.drop = drop
    update = _update_cost(plan)
    rebuild = _build_cost(plan, desired, create_reorders, has_old=True)
    if update <= rebuild:
        plan.path = "update" if update else "keep"
        plan.cost, plan.other_cost = update + len(drop), rebuild + len(drop)
    else:
        plan.path = "recreate"
        plan.cost, plan.other_cost = rebuild + len(drop), update + len(drop)
        plan.pin, plan.upload_poster, plan.moves = any(spec.pins), bool(spec.poster), []
    return plan


def plan_unread(spec: RowSpec, found: CollectionInfo | None, *args) -> RowPlan | None:
    """A plan from the order the last sync left (`spec.written`; Plex still lists that many
    items), not a read of the row, or None (read it): recreate when even that order costs more
    to edit than to rebuild (a daily reshuffle; built from `spec` alone, so a row changed by
    someone else comes out right all the same); keep (pins, poster, title at most) when that
    order is the desired one and a whole read showed it lately (`spec.trusted`)."""
    if not (found and spec.items and spec.written) or found.rating_key != spec.collection \
            or found.child_count != len(spec.written):
        return None
    plan = plan_row(spec, found, list(spec.written), *args)
    plan.read = False
    edits = plan.add or plan.remove or plan.moves or plan.set_sort
    return plan if plan.path == "recreate" or (spec.trusted and not edits) else None


def edit_steps(current: list[int], desired: list[int]) -> tuple[list[int], list[int],
                                                                 list[Move]]:
    """In-place steps: one add of the new items (appended, in desired order), the removals,
    and the moves that put the result in desired order."""
    wanted, held = set(desired), set(current)
    add = [k for k in desired if k not in held]
    kept = [k for k in current if k in wanted]
    return add, [k for k in current if k not in wanted], plan_moves(kept + add, desired)


def _in_place(spec: RowSpec, found: CollectionInfo, current: list[int], desired: list[int],
              hub: HubInfo | None, poster_sha_known: str | None) -> RowPlan:
    add, remove, moves = edit_steps(current, desired)
    plan = RowPlan(spec, "update", found.rating_key, current, add=add, remove=remove,
                   moves=moves, set_sort=found.sort != 2,
                   rename_from=found.title if found.title != spec.title else None,
                   pins_from=hub.flags if hub else None)
    plan.pin = (hub.flags if hub else NO_PINS) != spec.pins
    plan.upload_poster = bool(spec.poster) and (
        not found.has_poster or poster_sha_known != spec.poster_sha)
    return plan


def _update_cost(plan: RowPlan) -> int:
    content = (len(uri_chunks(plan.add)) + len(plan.remove) + len(plan.moves) + plan.set_sort
               + bool(plan.rename_from))
    return content + bool(content) + plan.pin + plan.upload_poster  # + one read-back


def _build_cost(plan: RowPlan, desired: list[int], create_reorders: bool,
                has_old: bool) -> int:
    """Create (and adds for what one uri cannot carry, or for all but the first item when the
    server reorders creates), custom sort and read-back; then pins and the new hub moved into
    the fixed order, the poster, and the old row deleted."""
    if create_reorders and len(desired) > 1:
        create = 1 + len(uri_chunks(desired[1:]))
    else:
        create = len(uri_chunks(desired))
    pins = any(plan.spec.pins)
    return create + 2 + 2 * pins + bool(plan.spec.poster) + has_old
