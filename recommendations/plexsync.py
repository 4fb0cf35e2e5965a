"""Rows are synced by a plan (ARCHITECTURE.md): the public face of the row sync core.

    result = sync_section(PlexRows(server, 1, "movie"), specs, known_poster, dry_run)

which is, per section:

    plex = PlexRows(server, section=1, media="movie")
    state = SectionState.read(plex)                          # 2 requests
    found, duplicates = match_row(spec, state.collections, state.hub_map())
    current = plex.children(found.rating_key) if found else []   # 1 request
    plan = plan_row(spec, found, current, state.hub_map().get(...), duplicates, known_sha,
                    state.create_reorders)
    outcome = apply_row(plex, plan, state)                   # or plan.as_dict() on a dry run
    order_hubs(plex, state)

It takes rating keys and a plexapi server; it knows nothing of datasets or the database
(recommendations.rows builds the specs and keeps the poster ledger).
"""

from recommendations.rows_apply import (
    RowOutcome,
    SectionState,
    SectionSync,
    apply_row,
    error_dict,
    forget_learned,
    order_hubs,
    sync_section,
)
from recommendations.rows_plan import (
    RowPlan,
    RowSpec,
    apply_moves,
    edit_steps,
    lis_keep,
    match_row,
    plan_hub_order,
    plan_moves,
    plan_row,
    row_rank,
)
from recommendations.rows_plex import CollectionInfo, HubInfo, PlexRows

__all__ = [
    "CollectionInfo", "HubInfo", "PlexRows", "RowOutcome", "RowPlan", "RowSpec",
    "SectionState", "SectionSync", "apply_moves", "apply_row", "edit_steps", "error_dict",
    "forget_learned", "lis_keep", "match_row", "order_hubs", "plan_hub_order", "plan_moves",
    "plan_row", "row_rank", "sync_section",
]
