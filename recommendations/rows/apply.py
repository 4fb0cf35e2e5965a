"""Carrying out a row plan in Plex, so that a failed write never costs the viewer their row.

- update in place: add, moves, removals, then read back; if any of these fails, the previous
  items and order are put back (from a fresh read) and the error is reported;
- create/recreate: the new collection is built complete (items, custom sort, verified order,
  poster, pins) next to the old one, and the old one is deleted only then; if a step fails the
  new one is deleted and the old row stays as it was.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from recommendations.rows.hubs import plan_hub_order
from recommendations.rows.plan import (
    RowPlan,
    edit_steps,
    match_row,
    plan_moves,
    plan_row,
    plan_unread,
)
from recommendations.rows.section import (
    RowOutcome,
    SectionState,
    SectionStates,
    error_dict,
    order_again,
    order_hubs,
)
from vault.clients.collections import PlexRows, uri_chunks
from vault.clients.errors import ServiceError

# After a create, more moves than this to fix the order means the server ignored the order we
# sent: deleting and rebuilding as create(first) + add(rest) costs this many requests.
REBUILD_AT = 5
# A new row is checked by reading its first page and total: a server that reorders what it is
# sent (release date, title) shows it there. Only then is the whole row read and fixed. Edits in
# place, and every later sync, read the whole row, so the next sync verifies (and, with moves
# only, repairs) the rest. Measured for 1,250 items on the double: the whole read ~190 ms of
# serving 1.8 MB + ~55 ms parsing, against ~55 ms for the whole first build, so reading it all
# would take the bench's time ratio to the naive rebuild from ~80 to under 20.
PROBE = 100


def apply_row(plex: PlexRows, plan: RowPlan, state: SectionState) -> RowOutcome:
    """Make the row in Plex what `plan` says; errors are reported in the outcome, never
    raised, and leave the previous row in place."""
    out = RowOutcome(plan.title, plan.spec.kind, plan.path, plan.collection)
    before = plex.requests, plex.writes
    try:
        if plan.path == "update":
            _update(plex, plan, state, out)
        elif plan.path in ("create", "recreate"):
            _build(plex, plan, state, out)
        elif plan.path == "delete":
            _delete(plex, state, plan.collection)
            out.collection = None
        for duplicate in plan.drop:
            _delete(plex, state, duplicate)
    except ServiceError as exc:
        out.ok, out.error = False, error_dict(exc)
    out.requests, out.writes = plex.requests - before[0], plex.writes - before[1]
    return out


def _update(plex: PlexRows, plan: RowPlan, state: SectionState, out: RowOutcome) -> None:
    rk = plan.collection
    if plan.set_sort:  # until the sort is custom, Plex shows another order than it stores
        plex.custom_sort(rk)
        state.learn_sorted(rk)
        plan.current = plex.children(rk)
        plan.add, plan.remove, plan.moves = edit_steps(plan.current, plan.desired)
    if plan.add or plan.remove or plan.moves:
        try:
            if plan.add:
                plex.add(rk, plan.add)
            for item, after in plan.moves:
                plex.move(rk, item, after)
            for item in plan.remove:
                plex.remove(rk, item)
            _settle(plex, rk, plan.desired, out)
        except ServiceError:
            out.rollback = _restore(plex, rk, plan.current)
            raise
    if plan.rename_from:
        plex.rename(rk, plan.title)
        next(c for c in state.collections if c.rating_key == rk).title = plan.title
    _dress(plex, plan, state, rk, out)


def _build(plex: PlexRows, plan: RowPlan, state: SectionState, out: RowOutcome) -> None:
    made: list[int] = []  # what to delete again if a step fails
    try:
        new = _create(plex, plan, state, made)
        checked = _verify_new(plex, new, plan.desired, out)
        if checked and len(checked[2]) > REBUILD_AT and not state.create_reorders:
            state.learn_create_reorders()
            _delete(plex, state, made.pop())
            new = _create(plex, plan, state, made)
            checked = _verify_new(plex, new, plan.desired, out)
        if checked:
            _fix(plex, new, plan.desired, *checked, out)
        _dress(plex, plan, state, new, out)
    except ServiceError:
        if made:
            out.rollback = _discard(plex, state, made[0])
        raise
    out.collection = new
    if plan.collection is not None:  # the old row goes only once the new one is complete
        _delete(plex, state, plan.collection)


def _verify_new(plex: PlexRows, rk: int, desired: list[int], out: RowOutcome):
    """None when the new row's first page came back as sent; else the full check."""
    if len(desired) > PROBE:  # for a short row the full read costs the same
        head, total = plex.children_head(rk, PROBE)
        if total == len(desired) and head == desired[:PROBE]:
            out.verified, out.verify = True, "head"
            return None
    return _check(plex, rk, desired)


def _create(plex: PlexRows, plan: RowPlan, state: SectionState, made: list[int]) -> int:
    keys = plan.desired
    first = keys[:1] if state.create_reorders else uri_chunks(keys)[0]
    rk = plex.create(plan.title, first)  # unpromoted: on no shelf until pinned
    made.append(rk)
    state.created(rk, plan.title, len(keys))
    if plan.spec.label:  # private rows: labelled before anything else is done with it
        plex.label(rk, [plan.spec.label])
        state.labelled.add(rk)
    if len(first) < len(keys):
        plex.add(rk, keys[len(first):])  # appends keep the order they are sent in
    plex.custom_sort(rk)
    return rk


def _check(plex: PlexRows, rk: int, desired: list[int]):
    """Read the row back: what it holds, what it should not, and the moves still needed."""
    got = plex.children(rk)
    held, wanted = set(got), set(desired)
    extra = [k for k in got if k not in wanted]
    kept = [k for k in got if k in wanted]
    return got, extra, plan_moves(kept, [k for k in desired if k in held])


def _fix(plex, rk, desired, got, extra, moves, out: RowOutcome) -> None:
    out.verify = "full"
    out.missing = [k for k in desired if k not in set(got)]
    for item in extra:
        plex.remove(rk, item)
    for item, after in moves:
        plex.move(rk, item, after)
    if extra or moves:  # confirm once; never loop against a server that disagrees
        final = plex.children(rk)
        out.verified = final == [k for k in desired if k in set(final)]
    else:
        out.verified = True


def _settle(plex: PlexRows, rk: int, desired: list[int], out: RowOutcome) -> None:
    got, extra, moves = _check(plex, rk, desired)
    _fix(plex, rk, desired, got, extra, moves, out)


def _dress(plex: PlexRows, plan: RowPlan, state: SectionState, rk: int,
           out: RowOutcome) -> None:
    spec = plan.spec
    if plan.upload_poster and spec.poster:
        plex.upload_poster(rk, spec.poster_data)
        out.poster_uploaded = spec.poster_sha
    if plan.pin and any(spec.pins):
        hub = state.hub_map().get(rk)
        shown = (hub.recommended, hub.shared_home) if hub else (False, False)
        if state.hold and (spec.pins[0] > shown[0] or spec.pins[2] > shown[1]):
            state.held.append((rk, spec))  # promoted once the exclusions are in place
            out.held = True
            return
        plex.pin(rk, spec.pins, promoted=rk in state.hub_map())
        state.pinned(plex, rk, spec.pins, spec.title)


def _delete(plex: PlexRows, state: SectionState, rk: int) -> None:
    plex.delete(rk)
    state.forget(rk)


def _discard(plex: PlexRows, state: SectionState, rk: int) -> str:
    try:
        _delete(plex, state, rk)
        return "deleted the unfinished new row; the previous row is unchanged"
    except ServiceError as exc:
        return f"could not delete the unfinished new row ({exc}); the next sync removes it"


def _restore(plex: PlexRows, rk: int, original: list[int]) -> str:
    """Put back the previous items and order after a failed in-place edit."""
    try:
        now = plex.children(rk)
        keep = set(original)
        missing = [k for k in original if k not in set(now)]
        extra = [k for k in now if k not in keep]
        if missing:
            plex.add(rk, missing)
        for item in extra:
            plex.remove(rk, item)
        if missing or extra:
            now = plex.children(rk)
        held = set(now)
        for item, after in plan_moves([k for k in now if k in keep],
                                      [k for k in original if k in held]):
            plex.move(rk, item, after)
        return "restored the previous items and order"
    except ServiceError as exc:
        return f"could not restore the previous row ({exc}); the next sync repairs it"


@dataclass
class SectionSync:
    rows: list[tuple[RowPlan, RowOutcome | None]] = field(default_factory=list)
    hub_moves: list[tuple[str, str | None]] = field(default_factory=list)
    hub_error: dict | None = None
    held_error: dict | None = None  # promotions kept back: the exclusions could not be written
    promoted: list[int] = field(default_factory=list)  # held rows promoted after the filters
    labelled: set[int] = field(default_factory=set)  # collections labelled during this sync


def sync_section(plex: PlexRows, specs: list, known_poster=lambda rating_key: None,
                 dry_run: bool = False, before_promote=None,
                 states: SectionStates | None = None) -> SectionSync:
    """Plan every row against one read of the section (and of each row), apply the plans
    unless `dry_run`, then put the hubs in the fixed order. Plex errors while reading raise;
    errors while writing are in the outcomes.

    `before_promote(state)` (private rows): every promotion that would show a row to other
    accounts waits until all rows are built and labelled; then this is called once to merge
    the exclusions into the share filters, and only when it returns None (no error) are the
    held rows promoted. Its error dict keeps them unpromoted (`held_error`).

    `states` (a sweep's SectionStates): start from the section as the previous viewer's sync
    left it instead of reading it again; it is dropped when anything here fails."""
    if states is None:
        state, fresh = SectionState.read(plex), True
    else:
        ours = {s.collection for s in specs if s.collection is not None}
        state, fresh = states.get(plex, ours)
    state.hold = before_promote is not None
    result = SectionSync()
    for spec in specs:
        hubs = state.hub_map()
        found, duplicates = match_row(spec, state.collections, hubs)
        key = found.rating_key if found else None
        args = (hubs.get(key), duplicates, known_poster(key) if key else None,
                state.create_reorders)
        plan = None if dry_run else plan_unread(spec, found, *args)
        if plan is None:
            current = plex.children(key) if found and spec.items else []
            plan = plan_row(spec, found, current, *args)
        outcome = apply_row(plex, plan, state) if plan.changes and not dry_run else None
        result.rows.append((plan, outcome))
    if dry_run:
        result.hub_moves = plan_hub_order(state.hubs, state.titles())
        return result
    if state.held:
        _promote_held(plex, state, before_promote, result)
    result.labelled = state.labelled
    try:
        result.hub_moves = order_hubs(plex, state)
    except ServiceError as exc:
        result.hub_error = error_dict(exc)
        if not fresh:  # the kept listing may be out of date: order from a new read, once
            try:
                result.hub_moves += order_again(plex, state)
                result.hub_error = None
            except ServiceError as again:
                result.hub_error = error_dict(again)
    if states is not None and (result.hub_error or result.held_error or any(
            o is not None and not o.ok for _, o in result.rows)):
        states.drop(plex)
    return result


def _promote_held(plex: PlexRows, state: SectionState, before_promote,
                  result: SectionSync) -> None:
    error = before_promote(state)
    if error:
        result.held_error = error
        return
    for rk, spec in state.held:
        try:
            plex.pin(rk, spec.pins, promoted=rk in state.hub_map())
        except ServiceError as exc:
            result.held_error = error_dict(exc)
            return
        state.pinned(plex, rk, spec.pins, spec.title)
        result.promoted.append(rk)
