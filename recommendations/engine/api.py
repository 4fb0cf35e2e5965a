"""The recommendations API the jobs call: suggest titles for a viewer from one seed.

`suggest` builds its inputs from the Vault (TMDB behind the persistent cache and the run
budget, OpenAI and Google when enabled, the viewer's rejected titles, the library index);
tests and callers can pass `inputs` to bring their own.
"""

from __future__ import annotations

import logging
from datetime import date

from recommendations.datasets import resets
from recommendations.engine import pipeline
from recommendations.engine.tmdbcache import CachedTmdb
from recommendations.models import RecommendationSettings
from recommendations.types import (
    CONTRAST,
    MOVIE,
    SHOW,
    SIMILAR,
    Seed,
    SuggestionResult,
)
from vault import integrations
from vault.clients import factory
from vault.clients.errors import ServiceError
from vault.mirror import lookup

log = logging.getLogger(__name__)
MODES = (SIMILAR, CONTRAST)

def as_seed(seed) -> Seed:
    """A Seed from a Seed, a Plex item (vault.PlexItem), a dict, or a (title, year) pair."""
    if isinstance(seed, Seed):
        return seed
    if isinstance(seed, dict):
        return Seed(**{k: v for k, v in seed.items() if k in Seed.__dataclass_fields__})
    if isinstance(seed, (tuple, list)):
        title, year = (list(seed) + [None])[:2]
        return Seed(title=title, year=year)
    return Seed.from_item(seed)


def build_inputs(viewer, library, media_type: str, settings: RecommendationSettings,
                 watched: set[int] | None = None, today: date | None = None) -> pipeline.Inputs:

    tmdb = None
    if integrations.is_enabled("tmdb"):
        tmdb = CachedTmdb(factory.tmdb(), budget=settings.tmdb_request_budget)
    return pipeline.Inputs(
        tmdb=tmdb,
        openai=factory.openai_client() if integrations.is_enabled("openai") else None,
        google=factory.google() if integrations.is_enabled("google") else None,
        watched=set(watched or ()),
        rejected=resets.rejected_ids(viewer, media_type),
        in_plex=lambda ids: lookup.rating_keys_for(library, ids),
        in_plex_by_imdb=((lambda ids: lookup.rating_keys_for_imdb(library, ids))
                         if lookup.has_imdb_only_items(library) else None),
        in_plex_by_ids=lambda wanted: lookup.match_keys(library, wanted),
        today=today or date.today(),
        errors=(ServiceError,),
    )


def suggest(viewer, library, media_type: str, seed, mode: str = SIMILAR,
            count: int | None = None, dry_run: bool = False, *,
            watched: set[int] | None = None, inputs: pipeline.Inputs | None = None,
            settings: RecommendationSettings | None = None) -> SuggestionResult:
    """Picks for one seed. Nothing is written but the TMDB cache, so dry_run changes nothing
    here; it is accepted so every job step has the same signature."""
    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}, not {mode!r}")
    if media_type not in (MOVIE, SHOW):
        raise ValueError(f"media_type must be 'movie' or 'show', not {media_type!r}")
    settings = settings or RecommendationSettings.load()
    if inputs is None:
        inputs = build_inputs(viewer, library, media_type, settings, watched)
    elif watched is not None:
        inputs.watched = set(watched)
    result = pipeline.recommend(inputs, as_seed(seed), media_type, mode,
                              count or settings.suggestions_per_run, settings.upcoming_percent)
    if dry_run:
        result.notes.append("Dry run: nothing was written.")
    log.info("suggest %s %s for %s/%s: %d picks", mode, media_type, viewer, library,
             len(result.picks))
    return result
