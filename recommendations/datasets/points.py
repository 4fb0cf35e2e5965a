"""The Immaculate Taste points rules, as a pure function over a small state.

State: {tmdb_id: (status, points)}. One update with `suggested` ({tmdb_id: in_plex}):
- a suggested title in Plex becomes (or stays) active at max points;
- a suggested title not in Plex stays pending at 0 (an active one stays active, refreshed);
- every other active title loses exactly 1 point and is removed at 0;
- pending titles not suggested are kept as they are.
datasets.apply_immaculate_points does the same with set-based SQL; tests hold both to these rules.
"""

from __future__ import annotations

ACTIVE, PENDING = "active", "pending"


def update(state: dict[int, tuple[str, int]], suggested: dict[int, bool],
           max_points: int) -> dict[int, tuple[str, int]]:
    after: dict[int, tuple[str, int]] = {}
    for tmdb_id, (status, points) in state.items():
        if tmdb_id in suggested:
            continue
        if status == PENDING:
            after[tmdb_id] = (PENDING, 0)
        elif points - 1 > 0:
            after[tmdb_id] = (ACTIVE, points - 1)
    for tmdb_id, in_plex in suggested.items():
        was_active = state.get(tmdb_id, (PENDING, 0))[0] == ACTIVE
        after[tmdb_id] = (ACTIVE, max_points) if in_plex or was_active else (PENDING, 0)
    return after


def activate(state: dict[int, tuple[str, int]], in_plex: set[int],
             max_points: int) -> dict[int, tuple[str, int]]:
    """Pending titles that are now in Plex become active at max points."""
    return {tmdb_id: (ACTIVE, max_points) if status == PENDING and tmdb_id in in_plex
            else (status, points) for tmdb_id, (status, points) in state.items()}
