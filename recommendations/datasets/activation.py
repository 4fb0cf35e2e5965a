"""Activation: pending titles that Plex now has become active, matched through the library
mirror with zero Plex requests. Planned like every dataset write (plans.DatasetPlan)."""

from __future__ import annotations

from recommendations.datasets.plans import DatasetPlan, applied, brief
from recommendations.models import (
    ImmaculateTasteTitle,
    LatestWatchedTitle,
    RecommendationSettings,
    Status,
)
from recommendations.types import DatasetChanges
from vault.mirror import lookup

DATASET_MODELS = {"immaculate_taste": ImmaculateTasteTitle,
                  "latest_watched": LatestWatchedTitle}


def plan_activation(viewer, library, media_type: str, rating_keys_for=None,
                    max_points: int | None = None, rating_keys_for_imdb=None,
                    datasets=("immaculate_taste", "latest_watched")) -> DatasetPlan:
    """Pending titles of these datasets that Plex now has become active (Immaculate Taste ones
    at max points), matched by TMDB id through the library index, else by IMDb id (items a
    legacy agent matched have no TMDB id)."""
    rating_keys_for = rating_keys_for or lookup.rating_keys_for
    rating_keys_for_imdb = rating_keys_for_imdb or lookup.rating_keys_for_imdb
    changes = DatasetChanges(dataset="activation", dry_run=False)
    scope = {"viewer": viewer, "library": library, "media_type": media_type,
             "status": Status.PENDING}
    immaculate = list(ImmaculateTasteTitle.objects.filter(**scope)) \
        if "immaculate_taste" in datasets else []
    latest = list(LatestWatchedTitle.objects.filter(**scope)) \
        if "latest_watched" in datasets else []
    ids = sorted({r.tmdb_id for r in immaculate} | {r.tmdb_id for r in latest})
    keys = rating_keys_for(library, ids) if ids else {}
    imdb = sorted({r.imdb_id for r in immaculate + latest
                   if r.tmdb_id not in keys and r.imdb_id})
    imdb_keys = rating_keys_for_imdb(library, imdb) if imdb else {}
    # then TVDB ids (shows on TheTVDB agent): one indexed lookup, zero Plex requests
    rest = [(r.tmdb_id, None, r.tvdb_id) for r in immaculate + latest
            if r.tmdb_id not in keys and not (r.imdb_id and r.imdb_id in imdb_keys)
            and r.tvdb_id]
    keys |= lookup.match_keys(library, rest) if rest else {}
    found = [r for r in immaculate + latest
             if r.tmdb_id in keys or (r.imdb_id and r.imdb_id in imdb_keys)]
    if any(isinstance(r, ImmaculateTasteTitle) for r in found):  # read only when needed
        top = max_points or RecommendationSettings.load().max_points
    for row in found:
        row.status = Status.ACTIVE
        row.rating_key = (keys[row.tmdb_id] if row.tmdb_id in keys
                          else imdb_keys[row.imdb_id])
        if isinstance(row, ImmaculateTasteTitle):
            row.points = top
        changes.activated.append(brief(row.tmdb_id, row.title,
                                       dataset=row._meta.model_name))
    return DatasetPlan([changes], update=[
        ([r for r in found if isinstance(r, ImmaculateTasteTitle)],
         ["status", "rating_key", "points"]),
        ([r for r in found if isinstance(r, LatestWatchedTitle)], ["status", "rating_key"])])


def activate_pending(viewer, library, media_type: str, dry_run: bool = False,
                     **kwargs) -> DatasetChanges:
    return applied(plan_activation(viewer, library, media_type, **kwargs), dry_run)


