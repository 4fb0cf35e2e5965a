"""Fresh Out Of The Oven: per viewer, the recent releases in Plex they have not watched yet,
as a row in each library."""

from __future__ import annotations

from jobs import scoping
from jobs.context import JobContext, Scope
from jobs.definitions.rows import rows_lock, sync_rows
from jobs.definitions.steps import plex, refresh_mirror
from jobs.errors import JobSkipped
from jobs.registry import job
from recommendations.rows.fresh import recent_items, unwatched_recent

# Its own row only: the other rows have their own jobs, and syncing them here read each of
# them from Plex once more per sweep (3 of every 4 row reads of a whole-server sweep).
FRESH_ROWS = ("fresh_out",)
# The newest titles the report names per viewer and library (it counts them all): a busy
# server's row holds ~1,200, and 100 pairs x 100 names made a ~1 MB report rewritten every 5 s.
LISTED = 25


def fresh_scope(ctx: JobContext, viewer, library, scope: Scope) -> dict:
    with ctx.report.step(f"fresh releases · {scope.label}") as counts:
        seen = unwatched_recent(plex(ctx), viewer, library, recent=_recent(ctx, library))
        counts["titles"] = len(seen)
    # Only the titles the report keeps are written out; the list counts the rest.
    ctx.report.add_list(f"Fresh Out Of The Oven ({viewer.name})", [
        {"title": i.title, "year": i.year, "status": "in Plex",
         "why": f"Released {i.originally_available_at}, not watched yet"}
        for i in seen[:LISTED]], scope.label, total=len(seen))
    with rows_lock(viewer, library, ctx.dry_run, ctx.run):
        return {"fresh": len(seen), **sync_rows(ctx, viewer, library, kinds=FRESH_ROWS,
                                                fresh=[i.rating_key for i in seen])}


def _recent(ctx: JobContext, library) -> list:
    """The library's fresh titles, read once per run: they are the same for every viewer (a
    sweep read them again for each of its fifty)."""
    kept = ctx.__dict__.setdefault("_recent", {})
    if library.pk not in kept:
        kept[library.pk] = recent_items(library)
    return kept[library.pk]


@job("fresh_out_of_the_oven", "Fresh Out Of The Oven", default_schedule="30 2 * * *",
     sweeps=True)
def fresh_out_of_the_oven(ctx: JobContext) -> None:
    """Per viewer: recent releases (last 3 months) in Plex they haven't watched."""
    scoping.require_plex()
    if ctx.scope.viewer_account_id is None and ctx.scope.library_key:
        raise JobSkipped("nothing_eligible", "Pick a viewer with the library, or neither.")
    refresh_mirror(ctx)
    scoping.for_each_scope(ctx, ("movie", "tv"), fresh_scope)
    ctx.report.summary(ctx.report.scopes_sentence("Fresh Out Of The Oven rows synced"))
