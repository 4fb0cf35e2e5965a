"""Dataset writes: Immaculate Taste points, Based on Latest Watched snapshots, activation.

Each operation runs in one transaction with a constant number of queries whatever the dataset
size (picks are bounded by the suggestions dial), and on a dry run returns the same
DatasetChanges while writing nothing.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from recommendations.models import (
    Approval,
    ImmaculateTasteTitle,
    LatestWatchedTitle,
    ListKind,
    RecommendationSettings,
    RejectedTitle,
    Status,
)
from recommendations.types import DatasetChanges, Pick

METADATA = ("tvdb_id", "imdb_id", "title", "year", "release_date", "vote_average", "vote_count",
            "poster_path", "why")
BATCH = 500


def _date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def metadata(pick: Pick) -> dict:
    return {"tvdb_id": pick.tvdb_id, "imdb_id": (pick.imdb_id or "")[:20],
            "title": pick.title[:300], "year": pick.year,
            "release_date": _date(pick.release_date), "vote_average": pick.vote_average,
            "vote_count": pick.vote_count, "poster_path": pick.poster_path or "",
            "why": pick.why[:300]}


def brief(tmdb_id: int, title: str, **extra) -> dict:
    return {"tmdb_id": tmdb_id, "title": title, **extra}


def unique_picks(picks) -> list[Pick]:
    seen: dict[int, Pick] = {}
    for p in picks:
        seen.setdefault(p.tmdb_id, p)
    return list(seen.values())


def apply_immaculate_points(viewer, library, media_type: str, picks, dry_run: bool = False,
                            max_points: int | None = None, now=None,
                            new_approval: str = Approval.NONE) -> DatasetChanges:
    """One points update: suggested titles in Plex (or already active) go to max points,
    suggested titles not in Plex are pending at 0, every other active title loses 1 point and
    leaves at 0, pending titles stay."""
    top = max_points or RecommendationSettings.load().max_points
    now = now or timezone.now()
    picks = unique_picks(picks)
    ids = [p.tmdb_id for p in picks]
    scope = ImmaculateTasteTitle.objects.filter(viewer=viewer, library=library,
                                                media_type=media_type)
    changes = DatasetChanges(dataset="immaculate_taste", dry_run=dry_run)
    with transaction.atomic():
        existing = {r.tmdb_id: r for r in scope.filter(tmdb_id__in=ids)}
        others = scope.filter(status=Status.ACTIVE).exclude(tmdb_id__in=ids)
        changes.removed = [brief(r["tmdb_id"], r["title"])
                           for r in others.filter(points__lte=1).values("tmdb_id", "title")]
        changes.decayed = others.filter(points__gt=1).count()
        new, updated = _plan_suggested(picks, existing, top, now, changes)
        if dry_run:
            return changes
        for row in new:
            row.viewer, row.library, row.media_type = viewer, library, media_type
            row.approval = new_approval if row.status == Status.PENDING else Approval.NONE
        ImmaculateTasteTitle.objects.bulk_create(new, batch_size=BATCH)
        ImmaculateTasteTitle.objects.bulk_update(
            updated, [*METADATA, "status", "points", "rating_key", "last_suggested_at"],
            batch_size=BATCH)
        others.update(points=F("points") - 1)
        scope.filter(status=Status.ACTIVE, points__lte=0).delete()
    return changes


def _plan_suggested(picks, existing, top, now, changes):
    new, updated = [], []
    for p in picks:
        row = existing.get(p.tmdb_id)
        in_plex = p.rating_key is not None
        if row is None:
            status = Status.ACTIVE if in_plex else Status.PENDING
            new.append(ImmaculateTasteTitle(
                tmdb_id=p.tmdb_id, status=status, points=top if in_plex else 0,
                rating_key=p.rating_key, first_suggested_at=now, last_suggested_at=now,
                **metadata(p)))
            changes.created.append(brief(p.tmdb_id, p.title, status=status.value))
            if not in_plex:
                changes.pending.append(brief(p.tmdb_id, p.title, new=True))
            continue
        was_active = row.status == Status.ACTIVE
        for name, value in metadata(p).items():
            setattr(row, name, value)
        row.last_suggested_at = now
        if was_active or in_plex:
            target = changes.refreshed if was_active else changes.activated
            target.append(brief(p.tmdb_id, p.title, points_before=row.points))
            row.status, row.points = Status.ACTIVE, top
            row.rating_key = p.rating_key if in_plex else row.rating_key
        else:
            changes.pending.append(brief(p.tmdb_id, p.title, new=False))
        updated.append(row)
    return new, updated


def replace_latest_watched(viewer, library, media_type: str, similar_picks, contrast_picks,
                           dry_run: bool = False, now=None) -> DatasetChanges:
    """Replace the viewer+library's Based on Latest Watched snapshot with these picks."""
    now = now or timezone.now()
    scope = LatestWatchedTitle.objects.filter(viewer=viewer, library=library,
                                              media_type=media_type)
    changes = DatasetChanges(dataset="latest_watched", dry_run=dry_run)
    rows = []
    for kind, picks in ((ListKind.RECENTLY_WATCHED, similar_picks),
                        (ListKind.CHANGE_OF_TASTE, contrast_picks)):
        for position, p in enumerate(unique_picks(picks), start=1):
            status = Status.ACTIVE if p.rating_key is not None else Status.PENDING
            rows.append(LatestWatchedTitle(
                viewer=viewer, library=library, media_type=media_type, list_kind=kind,
                position=position, tmdb_id=p.tmdb_id, rating_key=p.rating_key, status=status,
                suggested_at=now, **metadata(p)))
            changes.created.append(brief(p.tmdb_id, p.title, list_kind=kind.value,
                                         position=position, status=status.value))
            if status == Status.PENDING:
                changes.pending.append(brief(p.tmdb_id, p.title, list_kind=kind.value))
    with transaction.atomic():
        changes.replaced = scope.count()
        if not dry_run:
            scope.delete()
            LatestWatchedTitle.objects.bulk_create(rows, batch_size=BATCH)
    return changes


def activate_pending(viewer, library, media_type: str, dry_run: bool = False,
                     rating_keys_for=None, max_points: int | None = None,
                     rating_keys_for_imdb=None) -> DatasetChanges:
    """Pending titles of both datasets that Plex now has become active (Immaculate Taste ones
    at max points), matched by TMDB id through the library index, else by IMDb id (items a
    legacy agent matched have no TMDB id)."""
    if rating_keys_for is None:
        from vault.plexindex import rating_keys_for
    if rating_keys_for_imdb is None:
        from vault.plexindex import rating_keys_for_imdb
    top = max_points or RecommendationSettings.load().max_points
    changes = DatasetChanges(dataset="activation", dry_run=dry_run)
    scope = {"viewer": viewer, "library": library, "media_type": media_type,
             "status": Status.PENDING}
    with transaction.atomic():
        immaculate = list(ImmaculateTasteTitle.objects.filter(**scope))
        latest = list(LatestWatchedTitle.objects.filter(**scope))
        ids = sorted({r.tmdb_id for r in immaculate} | {r.tmdb_id for r in latest})
        keys = rating_keys_for(library, ids) if ids else {}
        imdb = sorted({r.imdb_id for r in immaculate + latest
                       if r.tmdb_id not in keys and r.imdb_id})
        imdb_keys = rating_keys_for_imdb(library, imdb) if imdb else {}
        found = [r for r in immaculate + latest
                 if r.tmdb_id in keys or (r.imdb_id and r.imdb_id in imdb_keys)]
        for row in found:
            row.status = Status.ACTIVE
            row.rating_key = (keys[row.tmdb_id] if row.tmdb_id in keys
                              else imdb_keys[row.imdb_id])
            if isinstance(row, ImmaculateTasteTitle):
                row.points = top
            changes.activated.append(brief(row.tmdb_id, row.title,
                                           dataset=row._meta.model_name))
        if not dry_run:
            ImmaculateTasteTitle.objects.bulk_update(
                [r for r in found if isinstance(r, ImmaculateTasteTitle)],
                ["status", "rating_key", "points"], batch_size=BATCH)
            LatestWatchedTitle.objects.bulk_update(
                [r for r in found if isinstance(r, LatestWatchedTitle)],
                ["status", "rating_key"], batch_size=BATCH)
    return changes


def rejected_ids(viewer, media_type: str) -> set[int]:
    return set(RejectedTitle.objects.filter(viewer=viewer, media_type=media_type)
               .values_list("tmdb_id", flat=True))


def reject(viewer, media_type: str, tmdb_id: int, title: str = "") -> RejectedTitle:
    """Never suggest this title to the viewer again; its dataset rows are marked rejected."""
    with transaction.atomic():
        row, _ = RejectedTitle.objects.get_or_create(
            viewer=viewer, media_type=media_type, tmdb_id=tmdb_id, defaults={"title": title})
        ImmaculateTasteTitle.objects.filter(viewer=viewer, media_type=media_type,
                                            tmdb_id=tmdb_id).update(approval=Approval.REJECTED)
    return row


def reset_rejected(viewer=None, dry_run: bool = False) -> int:
    """Forget rejections (of one viewer, or everyone's); returns how many."""
    rows = RejectedTitle.objects.all()
    if viewer is not None:
        rows = rows.filter(viewer=viewer)
    return rows.count() if dry_run else rows.delete()[0]


def reset_immaculate(viewer=None, library=None, dry_run: bool = False) -> int:
    """Empty Immaculate Taste datasets (optionally of one viewer and/or library)."""
    rows = ImmaculateTasteTitle.objects.all()
    if viewer is not None:
        rows = rows.filter(viewer=viewer)
    if library is not None:
        rows = rows.filter(library=library)
    return rows.count() if dry_run else rows.delete()[0]
