"""The fixed order of the curated rows' hubs in a section: every curated row first, by kind
(recently watched, Change of Taste, Immaculate Taste, Fresh Out), the rest after, as they were.
Pure planning, like plan.py."""

from __future__ import annotations

from functools import lru_cache

from recommendations.rows.plan import plan_moves
from vault.clients.collections import HubInfo

RANKS = ("based on your recently watched", "change of taste",
         "inspired by your immaculate taste", "fresh out of the oven")


@lru_cache(maxsize=4096)  # a sweep ranks the same ~200 hub titles for each of its viewers
def row_rank(title: str) -> int | None:
    """Where a curated row goes in the fixed hub order (viewer suffix ignored)."""
    folded = title.strip().casefold()
    return next((n for n, prefix in enumerate(RANKS) if folded.startswith(prefix)), None)


def plan_hub_order(hubs: list[HubInfo], titles: dict[int, str]) -> list[tuple[str, str | None]]:
    """Moves that put every curated row first, in the fixed order (a stable sort by rank, so
    viewers' rows of one kind keep their relative order and a resync moves nothing)."""
    ranked = [(row_rank(titles.get(h.collection, "")) if h.collection else None, h)
              for h in hubs]
    curated = sorted(((r, n, h) for n, (r, h) in enumerate(ranked) if r is not None),
                     key=lambda t: (t[0], t[1]))
    desired = [h.identifier for _, _, h in curated] + [
        h.identifier for r, h in ranked if r is None]
    ids = {identifier: n for n, identifier in enumerate(h.identifier for h in hubs)}
    moves = plan_moves([ids[h.identifier] for h in hubs], [ids[i] for i in desired])
    names = {n: identifier for identifier, n in ids.items()}
    return [(names[k], names[a] if a is not None else None) for k, a in moves]
