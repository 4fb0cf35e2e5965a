"""Steps the collection jobs share: connect to Plex, refresh the mirror, find the seed and the
scope, ask the engine for suggestions, report them and commit a dataset plan."""

from __future__ import annotations

from jobs import scoping, vaultlink
from jobs.context import JobContext, Scope
from jobs.errors import JobFailed
from jobs.failures import seed_lookup_failure
from recommendations.datasets.watched import watched_set
from recommendations.engine.api import suggest as engine_suggest
from vault.mirror import reader
from vault.models import PlexItem, PlexViewer

ENGINE_MEDIA = {"movie": "movie", "tv": "show"}  # our media type -> the engine's


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
    with ctx.report.step("plex index") as counts:
        stats = reader.refresh(plex(ctx))
        libraries = stats["libraries"]
        counts.update(viewers=stats["viewers"], libraries=len(libraries),
                      fetched=sum(lib.get("fetched", 0) for lib in libraries),
                      requests=sum(lib.get("requests", 0) for lib in libraries))


def seed_item(seed: dict, media_type: str):
    """The Plex item the seed names (by rating key, else by title and year), or None."""
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
    return PlexViewer.objects.filter(is_owner=True).first()


def as_engine_seed(ctx: JobContext, item) -> dict:
    if item is not None:
        return {"title": item.title, "year": item.year, "tmdb_id": item.tmdb_id,
                "imdb_id": item.imdb_id or None, "tvdb_id": item.tvdb_id,
                "rating_key": item.rating_key}
    return {"title": ctx.seed.get("title") or "", "year": ctx.seed.get("year")}


def watched(ctx: JobContext, viewer, library) -> set[int]:
    with ctx.report.step("watched history") as counts:
        ids = watched_set(plex(ctx), viewer, library)
        counts["titles"] = len(ids)
    return ids


def suggest(ctx: JobContext, viewer, library, media: str, seed: dict, mode: str, label: str,
            seen: set[int]):
    with ctx.report.step(f"suggest ({label})") as counts:
        result = engine_suggest(viewer, library, ENGINE_MEDIA[media], seed, mode=mode,
                                dry_run=ctx.dry_run, watched=seen)
        counts.update(picks=len(result.picks),
                      in_plex=sum(1 for p in result.picks if p.rating_key is not None))
    if result.seed is None and result.seed_error is not None:
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
