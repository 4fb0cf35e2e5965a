"""The refreshers (scheduled, and chained after a collection job): activate a dataset's
pending titles now in Plex and rebuild the rows that dataset feeds, per viewer and library."""

from __future__ import annotations

from functools import partial

from jobs import scoping, vaultlink
from jobs.context import JobContext, Scope
from jobs.definitions.rows import IMMACULATE_ROWS, LATEST_ROWS, rows_lock, sync_rows
from jobs.definitions.steps import ENGINE_MEDIA, plex, refresh_mirror
from jobs.registry import job
from recommendations.datasets.activation import plan_activation
from recommendations.rows import sync

ROWS_OF_DATASET = {"immaculate_taste": IMMACULATE_ROWS, "latest_watched": LATEST_ROWS}


def refresh_scope(ctx: JobContext, viewer, library, scope: Scope, dataset: str) -> dict:
    """One refresher's scope: plan the activation of the dataset's pending titles, sync its
    rows as if activated (Plex, outside any transaction), then commit the activation, only
    when Plex accepted the rows: a failing Plex leaves the dataset as it was and the next run
    plans it again."""
    media = vaultlink.media_type_of(library)
    with rows_lock(viewer, library, ctx.dry_run, ctx.run):
        with ctx.report.step(f"activate pending · {scope.label}") as counts:
            plan = plan_activation(viewer, library, ENGINE_MEDIA[media], datasets=(dataset,))
            counts["activated"] = len(plan.changes[0].activated)
        rows = sync_rows(ctx, viewer, library, plan, kinds=ROWS_OF_DATASET[dataset])
        if not ctx.dry_run:
            plan.apply()
        return {"activated": counts["activated"], **rows}


def remove_departed(ctx: JobContext) -> None:
    """A whole sweep also takes down the rows of viewers who left the server or are no longer
    monitored: nobody syncs them any more, and they would stay on everyone's Home."""
    if ctx.dry_run or ctx.scope.viewer_account_id is not None or ctx.scope.library_key:
        return
    for library in vaultlink.selected_libraries():
        for error in sync.remove_departed_rows(plex(ctx), library):
            ctx.report.note(f"Could not remove {error.get('row', 'a row')} from "
                            f"{library.title}: {error.get('reason', '')}")


def refresher(ctx: JobContext, dataset: str) -> None:
    scoping.require_plex()
    refresh_mirror(ctx)
    scoping.for_each_scope(ctx, ("movie", "tv"), partial(refresh_scope, dataset=dataset))
    remove_departed(ctx)
    ctx.report.summary(ctx.report.scopes_sentence("Rows refreshed"))


@job("immaculate_taste_refresher", "Immaculate Taste Refresher", default_schedule="0 3 * * *",
     sweeps=True)
def immaculate_taste_refresher(ctx: JobContext) -> None:
    """Activate pending Immaculate Taste titles now in Plex, reshuffle by rating tiers,
    rebuild the Immaculate Taste rows."""
    refresher(ctx, "immaculate_taste")


@job("latest_watched_refresher", "Based on Latest Watched Refresher",
     default_schedule="0 2 * * *", sweeps=True)
def latest_watched_refresher(ctx: JobContext) -> None:
    """Activate pending Based on Latest Watched titles, cap at the collection limit, rebuild
    the recently watched and Change of Taste rows."""
    refresher(ctx, "latest_watched")
