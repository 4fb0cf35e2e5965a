"""Dataset writes: Immaculate Taste points and Based on Latest Watched snapshots.

Each operation is planned first (`plan_*`: reads only, returns a DatasetPlan), then applied in
one short transaction with a constant number of queries whatever the dataset size (picks are
bounded by the suggestions dial); activation.py plans the same way. A dry run is a plan that
is never applied, so it reports exactly what the real run writes; the rows read a plan's
overlay (`DatasetPlan.view`) to show the rows as if it were applied.
No plan talks to the network inside its transaction.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
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


@dataclass
class DatasetPlan:
    """Dataset writes computed but not yet made: unsaved rows, row updates, deletions and the
    points decay, with the DatasetChanges they amount to."""

    changes: list[DatasetChanges] = field(default_factory=list)
    create: list = field(default_factory=list)  # unsaved model instances
    update: list[tuple[list, list[str]]] = field(default_factory=list)  # (rows, fields)
    delete: list = field(default_factory=list)  # querysets emptied first
    decay: list = field(default_factory=list)  # querysets of active rows losing one point

    def merge(self, other: DatasetPlan) -> DatasetPlan:
        return DatasetPlan([*self.changes, *other.changes], [*self.create, *other.create],
                           [*self.update, *other.update], [*self.delete, *other.delete],
                           [*self.decay, *other.decay])

    def apply(self) -> None:
        """Write the plan in one short transaction (callers make no network call inside)."""
        with transaction.atomic():
            for rows in self.delete:
                rows.delete()
            for rows in self.decay:
                rows.update(points=F("points") - 1)
                rows.model.objects.filter(pk__in=rows.values("pk"), points__lte=0).delete()
            for rows, fields in self.update:
                if rows:
                    type(rows[0]).objects.bulk_update(rows, fields, batch_size=BATCH)
            for model in dict.fromkeys(type(r) for r in self.create):
                model.objects.bulk_create([r for r in self.create if type(r) is model],
                                          batch_size=BATCH)

    def view(self, model, only: tuple[str, ...] = (), **scope) -> list:
        """The rows of `model` matching `scope` as they would be once the plan is applied.
        With `only`, the stored rows are read-only named tuples of those fields (and pk):
        a row sync reads ~1,250 titles of a busy dataset, and a model instance per title cost
        it more than the query; the rows the plan writes stay model instances."""
        stored = model.objects.filter(**scope)
        if only:
            rows = {r.pk: r for r in stored.values_list("pk", *only, named=True)}
        else:
            rows = {r.pk: r for r in stored}
        for qs in (q for q in self.delete if q.model is model):
            for pk in qs.values_list("pk", flat=True):
                rows.pop(pk, None)
        for qs in (q for q in self.decay if q.model is model):
            for pk in qs.values_list("pk", flat=True):
                if pk in rows:
                    row = rows[pk]
                    if row.points <= 1:
                        del rows[pk]
                    elif only:
                        rows[pk] = row._replace(points=row.points - 1)
                    else:
                        rows[pk] = copy.copy(row)
                        rows[pk].points -= 1
        for updated, _ in self.update:
            rows.update({r.pk: r for r in updated if r.pk in rows})
        created = [r for r in self.create if type(r) is model and _matches(r, scope)]
        return [*rows.values(), *created]


def _matches(row, scope: dict) -> bool:
    return all(getattr(row, name) == value for name, value in scope.items())


def plan_immaculate_points(viewer, library, media_type: str, picks,
                           max_points: int | None = None, now=None,
                           new_approval: str = Approval.NONE) -> DatasetPlan:
    """One points update: suggested titles in Plex (or already active) go to max points,
    suggested titles not in Plex are pending at 0, every other active title loses 1 point and
    leaves at 0, pending titles stay."""
    top = max_points or RecommendationSettings.load().max_points
    now = now or timezone.now()
    picks = unique_picks(picks)
    ids = [p.tmdb_id for p in picks]
    scope = ImmaculateTasteTitle.objects.filter(viewer=viewer, library=library,
                                                media_type=media_type)
    changes = DatasetChanges(dataset="immaculate_taste", dry_run=False)
    existing = {r.tmdb_id: r for r in scope.filter(tmdb_id__in=ids)}
    others = scope.filter(status=Status.ACTIVE).exclude(tmdb_id__in=ids)
    changes.removed = [brief(r["tmdb_id"], r["title"])
                       for r in others.filter(points__lte=1).values("tmdb_id", "title")]
    changes.decayed = others.filter(points__gt=1).count()
    new, updated = _plan_suggested(picks, existing, top, now, changes)
    for row in new:
        row.viewer, row.library, row.media_type = viewer, library, media_type
        row.approval = new_approval if row.status == Status.PENDING else Approval.NONE
    return DatasetPlan([changes], create=new, decay=[others], update=[(
        updated, [*METADATA, "status", "points", "rating_key", "last_suggested_at"])])


def applied(plan: DatasetPlan, dry_run: bool) -> DatasetChanges:
    """The old one-call API: apply unless dry, return the changes."""
    if not dry_run:
        plan.apply()
    changes = plan.changes[0]
    changes.dry_run = dry_run
    return changes


def apply_immaculate_points(viewer, library, media_type: str, picks, dry_run: bool = False,
                            **kwargs) -> DatasetChanges:
    return applied(plan_immaculate_points(viewer, library, media_type, picks, **kwargs),
                    dry_run)


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


def plan_latest_watched(viewer, library, media_type: str, similar_picks, contrast_picks,
                        now=None) -> DatasetPlan:
    """Replace the viewer+library's Based on Latest Watched snapshot with these picks."""
    now = now or timezone.now()
    scope = LatestWatchedTitle.objects.filter(viewer=viewer, library=library,
                                              media_type=media_type)
    changes = DatasetChanges(dataset="latest_watched", dry_run=False)
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
    changes.replaced = scope.count()
    return DatasetPlan([changes], create=rows, delete=[scope])


def replace_latest_watched(viewer, library, media_type: str, similar_picks, contrast_picks,
                           dry_run: bool = False, now=None) -> DatasetChanges:
    return applied(plan_latest_watched(viewer, library, media_type, similar_picks,
                                        contrast_picks, now), dry_run)
