"""The seeded collection jobs: a watch (or Run now) names a seed, the engine suggests, the
dataset takes the picks, and the chained refresher rebuilds the rows."""

from __future__ import annotations

from jobs.context import JobContext, Scope
from jobs.definitions.missing import send_missing_titles
from jobs.definitions.rows import IMMACULATE_ROWS, LATEST_ROWS, sync_rows
from jobs.definitions.steps import (
    ENGINE_MEDIA,
    as_engine_seed,
    collection_scope,
    commit_plan,
    refresh_mirror,
    suggest,
    watched,
)
from jobs.registry import job
from recommendations.datasets.plans import plan_immaculate_points, plan_latest_watched
from recommendations.types import CONTRAST, SIMILAR


# Immaculate Taste ------------------------------------------------------------------------------
@job("immaculate_taste", "Immaculate Taste Collection", needs_seed=True, plex_triggered=True,
     chains=("immaculate_taste_refresher",))
def immaculate_taste(ctx: JobContext) -> None:
    """Seed → suggestions → points update, then the refresher rebuilds that viewer's rows."""
    refresh_mirror(ctx)
    viewer, library, media, item = collection_scope(ctx)
    ctx.progress(step="suggesting", current=1, total=4)
    result = suggest(ctx, viewer, library, media, as_engine_seed(ctx, item), SIMILAR,
                     "Inspired by your Immaculate Taste", watched(ctx, viewer, library))
    ctx.progress(step="updating points", current=2)
    plan = plan_immaculate_points(viewer, library, ENGINE_MEDIA[media], result.picks)
    if ctx.dry_run:
        # The rows the chained refresher would build, read as if the points were applied.
        ctx.progress(step="planning rows", current=3)
        sync_rows(ctx, viewer, library, plan, kinds=IMMACULATE_ROWS)
    commit_plan(ctx, plan)
    sent = send_missing_titles(ctx, viewer, library, media, result.picks, "immaculate_taste")
    if not ctx.dry_run:
        ctx.chain("immaculate_taste_refresher", Scope.of(viewer, library, media))
    ctx.report.summary(f"{len(result.picks)} picks for {viewer.name} from "
                       f"{result.seed.title if result.seed else ctx.seed.get('title')}."
                       + (f" {sent}." if sent else ""))


# Based on Latest Watched -----------------------------------------------------------------------
@job("latest_watched", "Based on Latest Watched", needs_seed=True, plex_triggered=True,
     chains=("latest_watched_refresher",))
def latest_watched(ctx: JobContext) -> None:
    """Seed → "Based on your recently watched" + "Change of Taste" snapshots."""
    refresh_mirror(ctx)
    viewer, library, media, item = collection_scope(ctx)
    seed = as_engine_seed(ctx, item)
    seen = watched(ctx, viewer, library)
    ctx.progress(step="suggesting", current=1, total=4)
    similar = suggest(ctx, viewer, library, media, seed, SIMILAR, "Based on your recently "
                      f"watched {'movie' if media == 'movie' else 'show'}", seen)
    ctx.progress(step="change of taste", current=2)
    contrast = suggest(ctx, viewer, library, media, seed, CONTRAST, "Change of Taste", seen)
    ctx.progress(step="saving snapshot", current=3)
    plan = plan_latest_watched(viewer, library, ENGINE_MEDIA[media], similar.picks,
                               contrast.picks)
    commit_plan(ctx, plan)
    sent = send_missing_titles(ctx, viewer, library, media, similar.picks + contrast.picks,
                               "latest_watched")
    if ctx.dry_run:
        sync_rows(ctx, viewer, library, plan, kinds=LATEST_ROWS)
    else:
        ctx.chain("latest_watched_refresher", Scope.of(viewer, library, media))
    ctx.report.summary(f"{len(similar.picks)} similar and {len(contrast.picks)} change-of-taste "
                       f"picks for {viewer.name}." + (f" {sent}." if sent else ""))
