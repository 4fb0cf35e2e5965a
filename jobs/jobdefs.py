"""The jobs themselves. Each receives a JobContext; recommendations does the thinking, the
vault talks to Plex, and these functions order the steps and fill the report."""

from __future__ import annotations

import time
from contextlib import contextmanager

from jobs import locks, scoping, vaultlink
from jobs.context import JobContext, Scope
from jobs.errors import JobFailed, JobSkipped
from jobs.registry import job

ENGINE_MEDIA = {"movie": "movie", "tv": "show"}  # our media type -> the engine's


# shared steps ----------------------------------------------------------------------------------
def plex(ctx: JobContext):
    """The Plex server, connected once per run."""
    if not hasattr(ctx, "_plex"):
        scoping.require_plex()
        ctx._plex = vaultlink.plex_server()
    return ctx._plex


def refresh_mirror(ctx: JobContext) -> None:
    """Bring the Plex mirror (viewers, libraries, item index) up to date before anything reads
    it: a full read on first use, then a few requests when nothing changed. Mirroring only
    reads Plex, so dry runs do it too."""
    from vault.mirror import reader

    with ctx.report.step("plex index") as counts:
        stats = reader.refresh(plex(ctx))
        libraries = stats["libraries"]
        counts.update(viewers=stats["viewers"], libraries=len(libraries),
                      fetched=sum(lib.get("fetched", 0) for lib in libraries),
                      requests=sum(lib.get("requests", 0) for lib in libraries))


def seed_item(seed: dict, media_type: str):
    """The Plex item the seed names (by rating key, else by title and year), or None."""
    from vault.models import PlexItem

    kind = vaultlink.KIND_OF_MEDIA[media_type]
    items = PlexItem.objects.filter(kind=kind).select_related("library")
    if str(seed.get("rating_key") or "").isdigit():
        found = items.filter(rating_key=int(seed["rating_key"])).first()
        if found:
            return found
    if seed.get("title"):
        items = items.filter(title__iexact=seed["title"].strip())
        if seed.get("year"):
            items = items.filter(year=seed["year"])
        return items.order_by("-library__selected", "library__title").first()
    return None


def collection_scope(ctx: JobContext):
    """(viewer, library, media_type, seed item) for a seeded collection job, or skip."""
    media = ctx.scope.media_type or ctx.seed.get("media_type") or "movie"
    if media not in ENGINE_MEDIA:
        raise JobFailed("bad_media_type", f"Media type must be movie or tv, not {media!r}.")
    if not ctx.seed:
        raise JobFailed("no_seed", "This job needs a seed (a title and year, or a rating key).")
    item = seed_item(ctx.seed, media)
    library = vaultlink.library(ctx.scope.library_key) if ctx.scope.library_key else (
        item.library if item else _largest(vaultlink.selected_libraries(media)))
    scoping.check_library(library, media)
    viewer = vaultlink.viewer(ctx.scope.viewer_account_id) if \
        ctx.scope.viewer_account_id is not None else _owner()
    if viewer is None:
        raise JobFailed("no_viewer", "No Plex viewer is known yet; connect Plex in the Vault.")
    scoping.check_viewer(viewer)
    ctx.narrow(Scope.of(viewer, library, media))
    return viewer, library, media, item


def _largest(libraries):
    """With no seed item to go by, the biggest selected library is the viewer's main one."""
    return max(libraries, key=lambda lib: lib.item_count, default=None)


def _owner():
    from vault.models import PlexViewer

    return PlexViewer.objects.filter(is_owner=True).first()


def as_engine_seed(ctx: JobContext, item) -> dict:
    if item is not None:
        return {"title": item.title, "year": item.year, "tmdb_id": item.tmdb_id,
                "imdb_id": item.imdb_id or None, "tvdb_id": item.tvdb_id,
                "rating_key": item.rating_key}
    return {"title": ctx.seed.get("title") or "", "year": ctx.seed.get("year")}


def watched(ctx: JobContext, viewer, library) -> set[int]:
    from recommendations.datasets.watched import watched_set

    with ctx.report.step("watched history") as counts:
        ids = watched_set(plex(ctx), viewer, library)
        counts["titles"] = len(ids)
    return ids


def suggest(ctx: JobContext, viewer, library, media: str, seed: dict, mode: str, label: str,
            seen: set[int]):
    from recommendations.engine.api import suggest as engine_suggest

    with ctx.report.step(f"suggest ({label})") as counts:
        result = engine_suggest(viewer, library, ENGINE_MEDIA[media], seed, mode=mode,
                                dry_run=ctx.dry_run, watched=seen)
        counts.update(picks=len(result.picks),
                      in_plex=sum(1 for p in result.picks if p.rating_key is not None))
    if result.seed is None and result.seed_error is not None:
        from jobs.failures import seed_lookup_failure

        report_suggestions(ctx, result, label, Scope.of(viewer, library, media).label)
        raise seed_lookup_failure(result.seed_error)  # TMDB failed: never "no match"
    if result.seed is None:
        raise JobFailed("seed_not_found", f"TMDB has no match for the seed "
                                          f"{seed.get('title') or seed.get('rating_key')!r}.")
    report_suggestions(ctx, result, label, Scope.of(viewer, library, media).label)
    return result


def report_suggestions(ctx: JobContext, result, label: str, scope: str) -> None:
    for name, card in result.breakdown.items():
        status = card.status.strip().lower().replace(" ", "_")
        status = status if status in ("ok", "not_enabled", "skipped") else "failed"
        detail = card.contributed or ("" if status != "failed" else card.status)
        ctx.report.service(name, status, detail, card.suggested)
    ctx.report.add_list(label, [
        {"title": p.title, "year": p.year, "why": p.why, "tmdb_id": p.tmdb_id,
         "status": "in Plex" if p.rating_key is not None else "missing", "bucket": p.bucket}
        for p in result.picks], scope)
    ctx.report.attach(f"suggestions {label}", result.as_dict())
    for note in result.notes:
        ctx.report.note(note)


def report_changes(ctx: JobContext, changes, counts: dict) -> None:
    counts.update(created=len(changes.created), refreshed=len(changes.refreshed),
                  activated=len(changes.activated), pending=len(changes.kept_pending),
                  decayed=changes.decayed, removed=len(changes.removed))
    ctx.report.attach(f"dataset {changes.dataset}", changes.as_dict())


def commit_plan(ctx: JobContext, plan, label: str = "dataset") -> None:
    """Report a dataset plan's changes and apply it, unless dry: the one dry-run strategy. The
    plan is applied in one short transaction, after any Plex write it depends on."""
    with ctx.report.step(label + (" (dry run)" if ctx.dry_run else "")) as counts:
        for changes in plan.changes:
            changes.dry_run = ctx.dry_run
            report_changes(ctx, changes, counts)
            if changes.replaced:
                counts["replaced"] = changes.replaced
        if not ctx.dry_run:
            plan.apply()


ROWS_LOCK_WAIT = 300  # seconds: another job's sync of the same rows takes far less


@contextmanager
def rows_lock(viewer, library, dry_run: bool, run=None):
    """Two jobs (say both refreshers after a 90% watch) must not write one viewer's rows in
    one library at the same time, or both would create the same collection. Wait our turn.

    Take it before opening a transaction: a lock row inserted inside one stays invisible to
    other workers until commit, so on PostgreSQL they would block on the unique index (no
    deadline, while holding their own row locks) instead of seeing the lock and waiting."""
    if dry_run:
        yield
        return
    key = f"rows:{viewer.account_id}:{library.key}"
    deadline = time.monotonic() + ROWS_LOCK_WAIT
    # Held for `run`, so the sweeper frees it with the run's other locks when its worker dies.
    while (token := locks.acquire(key, run, ttl=ROWS_LOCK_WAIT * 3)) is None:
        if time.monotonic() > deadline:
            raise JobFailed("rows_busy", f"Another job kept {viewer.name}'s rows busy for "
                            f"{ROWS_LOCK_WAIT // 60} minutes; try again later.")
        time.sleep(0.5)
    try:
        yield
    finally:
        locks.release(key, token)


def sync_rows(ctx: JobContext, viewer, library, plan=None, kinds=None) -> dict:
    """Rebuild this viewer's rows in this library (only `kinds`, default all) as if the
    dataset `plan` were applied, or only plan them on a dry run. A real sync runs inside the
    caller's rows_lock and never inside a transaction (it talks to Plex)."""
    from recommendations.rows.sync import KINDS, sync_viewer_rows

    scope = Scope.of(viewer, library).label
    with ctx.report.step("rows" + (" (plan)" if ctx.dry_run else "")) as counts:
        data = sync_viewer_rows(plex(ctx), viewer, library, dry_run=ctx.dry_run,
                                kinds=kinds or KINDS, overlay=plan).as_dict()
        plan = plan_entries(data)
        ctx.report.add_plan(plan, scope)
        ctx.report.attach(f"rows {scope}", data)
        counts.update(rows=len(plan), changed=sum(1 for p in plan if p["action"] != "keep"),
                      requests=data.get("requests", 0), writes=data.get("writes", 0))
    if data.get("skipped"):
        raise JobSkipped(data["skipped"], data.get("message") or "")
    errors = data.get("errors") or []
    if errors:
        service = errors[0].get("service") or "plex"
        reasons = "; ".join(e.get("reason") or "" for e in errors)[:450]
        code = f"{service}_unavailable" if errors[0].get("transient") else f"{service}_error"
        raise JobFailed(code, reasons if "plex" in reasons.lower() else f"Plex: {reasons}")
    return {"rows": counts["rows"], "rows_changed": counts["changed"]}


def _names(items) -> list[str]:
    return [str(i.get("title") or i.get("rating_key")) if isinstance(i, dict) else str(i)
            for i in items or []]


PIN_NAMES = {"library_recommended": "Library Recommended", "home": "Home",
             "friends_home": "Friends' Home"}


def plan_entries(data: dict) -> list[dict]:
    """The rows report as plan lines: row, action, items added/removed, moves, and the other
    changes (custom sort, pins, poster) so an "update" line never reads as nothing."""
    return [{"row": row.get("title") or "?", "action": row.get("action") or "keep",
             "add": _names(row.get("added")), "remove": _names(row.get("removed")),
             "moves": row.get("moves") or len(row.get("moved") or []),
             "other": _other_changes(row), "requests": row.get("requests", 0),
             "error": row.get("error") or ""}
            for row in data.get("rows") or []]


def _other_changes(row: dict) -> list[str]:
    changes = []
    if row.get("sort") == "custom" and row.get("action") not in ("keep", "delete"):
        changes.append("custom sort")
    pins = row.get("pins") or {}
    if pins.get("to") is not None:
        wanted = [PIN_NAMES[k] for k, on in pins["to"].items() if on]
        changes.append("pin to " + (", ".join(wanted) if wanted else "nowhere"))
    if row.get("poster") == "upload":
        changes.append("poster")
    return changes


# Immaculate Taste ------------------------------------------------------------------------------
@job("immaculate_taste", "Immaculate Taste Collection", needs_seed=True, plex_triggered=True,
     chains=("immaculate_taste_refresher",))
def immaculate_taste(ctx: JobContext) -> None:
    """Seed → suggestions → points update, then the refresher rebuilds that viewer's rows."""
    from recommendations.datasets.plans import plan_immaculate_points
    from recommendations.types import SIMILAR

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
    if not ctx.dry_run:
        ctx.chain("immaculate_taste_refresher", Scope.of(viewer, library, media))
    ctx.report.summary(f"{len(result.picks)} picks for {viewer.name} from "
                       f"{result.seed.title if result.seed else ctx.seed.get('title')}.")


IMMACULATE_ROWS = ("immaculate_taste",)
LATEST_ROWS = ("recently_watched", "change_of_taste")
ROWS_OF_DATASET = {"immaculate_taste": IMMACULATE_ROWS, "latest_watched": LATEST_ROWS}


def refresh_scope(ctx: JobContext, viewer, library, scope: Scope, dataset: str) -> dict:
    """One refresher's scope: plan the activation of the dataset's pending titles, sync its
    rows as if activated (Plex, outside any transaction), then commit the activation, only
    when Plex accepted the rows: a failing Plex leaves the dataset as it was and the next run
    plans it again."""
    from recommendations.datasets.activation import plan_activation

    media = vaultlink.media_type_of(library)
    with rows_lock(viewer, library, ctx.dry_run, ctx.run):
        with ctx.report.step(f"activate pending · {scope.label}") as counts:
            plan = plan_activation(viewer, library, ENGINE_MEDIA[media], datasets=(dataset,))
            counts["activated"] = len(plan.changes[0].activated)
        rows = sync_rows(ctx, viewer, library, plan, kinds=ROWS_OF_DATASET[dataset])
        if not ctx.dry_run:
            plan.apply()
        return {"activated": counts["activated"], **rows}


def refresher(ctx: JobContext, dataset: str) -> None:
    from functools import partial

    scoping.require_plex()
    refresh_mirror(ctx)
    scoping.for_each_scope(ctx, ("movie", "tv"), partial(refresh_scope, dataset=dataset))
    ctx.report.summary(f"Refreshed {len(ctx.report.data['scopes'])} viewer/library rows.")


@job("immaculate_taste_refresher", "Immaculate Taste Refresher", default_schedule="0 3 * * *",
     sweeps=True)
def immaculate_taste_refresher(ctx: JobContext) -> None:
    """Activate pending Immaculate Taste titles now in Plex, reshuffle by rating tiers,
    rebuild the Immaculate Taste rows."""
    refresher(ctx, "immaculate_taste")


# Based on Latest Watched -----------------------------------------------------------------------
@job("latest_watched", "Based on Latest Watched", needs_seed=True, plex_triggered=True,
     chains=("latest_watched_refresher",))
def latest_watched(ctx: JobContext) -> None:
    """Seed → "Based on your recently watched" + "Change of Taste" snapshots."""
    from recommendations.datasets.plans import plan_latest_watched
    from recommendations.types import CONTRAST, SIMILAR

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
    if ctx.dry_run:
        sync_rows(ctx, viewer, library, plan, kinds=LATEST_ROWS)
    else:
        ctx.chain("latest_watched_refresher", Scope.of(viewer, library, media))
    ctx.report.summary(f"{len(similar.picks)} similar and {len(contrast.picks)} change-of-taste "
                       f"picks for {viewer.name}.")


@job("latest_watched_refresher", "Based on Latest Watched Refresher",
     default_schedule="0 2 * * *", sweeps=True)
def latest_watched_refresher(ctx: JobContext) -> None:
    """Activate pending Based on Latest Watched titles, cap at the collection limit, rebuild
    the recently watched and Change of Taste rows."""
    refresher(ctx, "latest_watched")


# Fresh Out Of The Oven -------------------------------------------------------------------------
def fresh_scope(ctx: JobContext, viewer, library, scope: Scope) -> dict:
    from recommendations.rows.fresh import unwatched_recent

    with ctx.report.step(f"fresh releases · {scope.label}") as counts:
        seen = unwatched_recent(plex(ctx), viewer, library)
        counts["titles"] = len(seen)
    ctx.report.add_list(f"Fresh Out Of The Oven ({viewer.name})", [
        {"title": i.title, "year": i.year, "status": "in Plex",
         "why": f"Released {i.originally_available_at}, not watched yet"}
        for i in seen], scope.label)
    with rows_lock(viewer, library, ctx.dry_run, ctx.run):
        return {"fresh": len(seen), **sync_rows(ctx, viewer, library)}


@job("fresh_out_of_the_oven", "Fresh Out Of The Oven", default_schedule="30 2 * * *",
     sweeps=True)
def fresh_out_of_the_oven(ctx: JobContext) -> None:
    """Per viewer: recent releases (last 3 months) in Plex they haven't watched."""
    scoping.require_plex()
    if ctx.scope.viewer_account_id is None and ctx.scope.library_key:
        raise JobSkipped("nothing_eligible", "Pick a viewer with the library, or neither.")
    refresh_mirror(ctx)
    scoping.for_each_scope(ctx, ("movie", "tv"), fresh_scope)
    ctx.report.summary(f"Fresh rows for {len(ctx.report.data['scopes'])} viewer/library pairs.")
