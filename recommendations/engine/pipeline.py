"""One seed to `count` picks: resolve, gather pools, rank, mix, curate, explain.

Everything outside arrives as a parameter (`Inputs`), so the same code runs against the real
services, the doubles, or plain fakes in unit tests.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from recommendations.engine import curation, mix, pools, ranking, seeds
from recommendations.engine.tmdbcache import BudgetExhausted
from recommendations.engine.why import why
from recommendations.types import (
    CONTRAST,
    MOVIE,
    NOT_ENABLED,
    OK,
    RELEASED,
    SKIPPED,
    UNKNOWN,
    UPCOMING,
    Candidate,
    Pick,
    ResolvedSeed,
    Seed,
    ServiceCard,
    SuggestionResult,
    failed,
)

BUCKET_ORDER = (RELEASED, UNKNOWN, UPCOMING)


@dataclass
class Inputs:
    tmdb: Any | None  # a TMDB client (see tmdbcache.CachedTmdb); None = not enabled
    openai: tuple[Any, str] | None = None  # (openai.OpenAI, model); None = not enabled
    google: Any | None = None  # has .titles(query, num=…) -> [{"title","link","snippet"}]
    watched: set[int] = field(default_factory=set)
    rejected: set[int] = field(default_factory=set)
    in_plex: Callable[[list[int]], dict[int, str]] = lambda ids: {}
    # IMDb id -> ratingKey for legacy-agent Plex items (no TMDB id); None when the library has
    # none, which spares the TMDB look-ups of the picks' IMDb ids.
    in_plex_by_imdb: Callable[[list[str]], dict[str, int]] | None = None
    # (tmdb, imdb, tvdb) triples -> {tmdb id: ratingKey} (vault.mirror.lookup.match_keys)
    in_plex_by_ids: Callable[[list[tuple]], dict[int, int]] | None = None
    today: date = field(default_factory=date.today)
    errors: tuple = (Exception,)  # what a service call may raise that a run survives


@dataclass
class Run:
    inputs: Inputs
    media_type: str
    mode: str
    count: int
    upcoming_percent: int
    breakdown: dict[str, ServiceCard] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    seed_error: Exception | None = None  # a service failure while looking the seed up

    @property
    def service_errors(self) -> tuple:
        return (*self.inputs.errors, BudgetExhausted)


def recommend(inputs: Inputs, seed: Seed, media_type: str, mode: str, count: int,
              upcoming_percent: int) -> SuggestionResult:
    run = Run(inputs, media_type, mode, count, upcoming_percent)
    run.breakdown = {
        "tmdb": ServiceCard(OK if inputs.tmdb else NOT_ENABLED),
        "openai": ServiceCard(OK if inputs.openai else NOT_ENABLED),
        "google": ServiceCard(OK if inputs.google else NOT_ENABLED),
    }
    resolved = resolve_seed(run, seed)
    picks = choose(run, resolved) if resolved else []
    run.breakdown["tmdb"].requests = getattr(inputs.tmdb, "requests", 0)
    return SuggestionResult(mode=mode, media_type=media_type, count=count, picks=picks,
                            breakdown=run.breakdown, seed=resolved, notes=run.notes,
                            seed_error=run.seed_error)


def resolve_seed(run: Run, seed: Seed) -> ResolvedSeed | None:
    card = run.breakdown["tmdb"]
    if run.inputs.tmdb is None:
        run.notes.append("TMDB is not configured: no suggestions.")
        _skip_others(run, "TMDB is not configured")
        return None
    try:
        return seeds.resolve(run.inputs.tmdb, seed, run.media_type)
    except seeds.SeedNotFound as exc:
        card.status = failed(str(exc))
    except run.service_errors as exc:
        run.seed_error = exc  # TMDB failed: not the same as TMDB having no match
        card.status = failed(f"seed look-up: {exc}")
    run.notes.append(f"Seed not resolved: {card.status.removeprefix('failed: ')}")
    _skip_others(run, "no seed")
    return None


def _skip_others(run: Run, why_text: str) -> None:
    for name in ("openai", "google"):
        if run.breakdown[name].status == OK:
            run.breakdown[name] = ServiceCard(SKIPPED, contributed=why_text)


def choose(run: Run, seed: ResolvedSeed) -> list[Pick]:
    found = pools.gather(run.inputs.tmdb, seed, run.mode, run.inputs.today, run.service_errors)
    run.notes.extend(f"TMDB {p}" for p in found.problems)
    add_web_candidates(run, seed, found)
    ranked = rank_by_bucket(run, seed, found.candidates.values())
    available = {b: len(ranked[b]) for b in BUCKET_ORDER}
    quota = mix.quotas(run.count, run.upcoming_percent, available)
    note_mix(run, quota)
    chosen = curate_or_rank(run, seed, ranked, quota)
    picks = [make_pick(run, seed, c, reason) for c, reason in chosen]
    attach_ids(run, picks)
    tmdb_card(run, found, picks)
    return picks


def add_web_candidates(run: Run, seed: ResolvedSeed, found: pools.Pools) -> None:
    card = run.breakdown["google"]
    if card.status != OK:
        return
    if run.mode == CONTRAST:
        run.breakdown["google"] = ServiceCard(
            SKIPPED, contributed="Change of Taste looks away from the seed, not like it")
        return
    try:
        results, items = curation.web_candidates(run.inputs.google, run.inputs.tmdb, seed)
    except run.service_errors as exc:
        card.status = failed(str(exc))
        return
    card.requests = 1
    for i, result in enumerate(results):
        found.add(result, "google", i)
    card.suggested = [r.get("title") or r.get("name") or "" for r in results]
    card.contributed = f"{items} web results → {len(results)} titles found on TMDB"


def rank_by_bucket(run: Run, seed: ResolvedSeed, candidates) -> dict[str, list[Candidate]]:
    exclude = set(run.inputs.watched) | set(run.inputs.rejected)
    ranked: dict[str, list[Candidate]] = {b: [] for b in BUCKET_ORDER}
    for c in ranking.rank(candidates, seed, run.mode, exclude):
        c.bucket = mix.bucket_of(c.release_date, run.inputs.today)
        if c.bucket is not None:
            ranked[c.bucket].append(c)
    return ranked


def note_mix(run: Run, quota: dict[str, int]) -> None:
    want = mix.targets(run.count, run.upcoming_percent)
    got = sum(quota.values())
    if got < run.count:
        run.notes.append(f"Only {got} of {run.count} titles were available.")
    if quota[UPCOMING] != want[UPCOMING] or quota[RELEASED] != want[RELEASED]:
        run.notes.append(f"Mix adjusted to what TMDB offered: {quota[RELEASED]} released, "
                         f"{quota[UPCOMING]} upcoming, {quota[UNKNOWN]} undated "
                         f"(asked {want[RELEASED]} released, {want[UPCOMING]} upcoming).")


def curate_or_rank(run: Run, seed: ResolvedSeed, ranked: dict[str, list[Candidate]],
                   quota: dict[str, int]) -> list[tuple[Candidate, str | None]]:
    """OpenAI's choice per bucket when it is enabled and has a choice to make; else (or when
    any answer is unusable) the top of the deterministic ranking."""
    fallback = [(c, None) for b in BUCKET_ORDER for c in ranked[b][:quota[b]]]
    card = run.breakdown["openai"]
    if card.status != OK:
        return fallback
    buckets = [b for b in BUCKET_ORDER if 0 < quota[b] < len(ranked[b])]
    if not buckets:
        run.breakdown["openai"] = ServiceCard(
            SKIPPED, contributed="no choice to make: every candidate was needed")
        return fallback
    client, model = run.inputs.openai
    by_id = {c.tmdb_id: c for b in BUCKET_ORDER for c in ranked[b]}
    chosen: list[tuple[Candidate, str | None]] = []
    try:
        for b in BUCKET_ORDER:
            if b in buckets:
                card.requests += 1
                picks = curation.curate(client, model, seed, run.mode, b, quota[b], ranked[b])
                chosen += [(by_id[i], reason) for i, reason in picks]
            else:
                chosen += [(c, None) for c in ranked[b][:quota[b]]]
    except curation.CurationFailed as exc:
        card.status = failed(str(exc))
        card.contributed = "nothing: the deterministic ranking was used"
        run.notes.append(f"OpenAI answer unusable ({exc}); used the TMDB ranking instead.")
        return fallback
    card.suggested = [c.title for c, reason in chosen if reason is not None]
    offered = sum(min(len(ranked[b]), curation.shortlist_size(quota[b])) for b in buckets)
    card.contributed = f"chose {len(card.suggested)} of {offered} shortlisted titles"
    return chosen


def make_pick(run: Run, seed: ResolvedSeed, c: Candidate, reason: str | None) -> Pick:
    return Pick(
        tmdb_id=c.tmdb_id, title=c.title, year=c.year, release_date=c.release_date,
        vote_average=c.vote_average, vote_count=c.vote_count, poster_path=c.poster_path,
        bucket=c.bucket, why=why(c, seed, run.mode, run.media_type, reason),
        sources=list(c.sources), score=c.score, chosen_by="openai" if reason else "ranking")


def attach_ids(run: Run, picks: list[Pick]) -> None:
    """Plex ratingKeys from the library index, by TMDB id, else by IMDb id for legacy-agent
    items; TVDB ids for shows (Sonarr needs them)."""
    keys = run.inputs.in_plex([p.tmdb_id for p in picks]) if picks else {}
    for p in picks:
        p.rating_key = keys.get(p.tmdb_id)
    by_imdb = run.inputs.in_plex_by_imdb
    wanted = [p for p in picks if run.media_type != MOVIE
              or (by_imdb is not None and p.rating_key is None)]
    missing = 0
    for p in wanted:
        try:
            d = run.inputs.tmdb.details(run.media_type, p.tmdb_id)
        except run.service_errors:
            missing += 1
            continue
        ids = d.get("external_ids") or {}
        p.imdb_id = d.get("imdb_id") or ids.get("imdb_id") or None
        if run.media_type != MOVIE:
            p.tvdb_id = int(ids["tvdb_id"]) if ids.get("tvdb_id") else None
    if missing:
        run.notes.append(f"No external ids (TVDB/IMDb) for {missing} titles "
                         f"(TMDB unavailable or over budget).")
    unmatched = [p for p in picks if p.rating_key is None and p.imdb_id]
    if by_imdb is not None and unmatched:
        imdb_keys = by_imdb([p.imdb_id for p in unmatched])
        for p in unmatched:
            p.rating_key = imdb_keys.get(p.imdb_id)
    # shows on TheTVDB agent carry only a TVDB id (TMDB gives it in external_ids)
    by_ids = run.inputs.in_plex_by_ids
    unmatched = [p for p in picks if p.rating_key is None and (p.imdb_id or p.tvdb_id)]
    if by_ids is not None and unmatched:
        keys = by_ids([(p.tmdb_id, p.imdb_id, p.tvdb_id) for p in unmatched])
        for p in unmatched:
            p.rating_key = keys.get(p.tmdb_id)


def tmdb_card(run: Run, found: pools.Pools, picks: list[Pick]) -> None:
    card = run.breakdown["tmdb"]
    lists = ", ".join(f"{name} {n}" for name, n in found.counts.items())
    card.contributed = (f"{len(found.candidates)} candidates ({lists or 'none'}); "
                        f"{sum(1 for p in picks if p.chosen_by == 'ranking')} picks from its "
                        f"ranking")
    card.suggested = [p.title for p in picks if p.chosen_by == "ranking"]
    if found.problems and not found.candidates:
        card.status = failed(found.problems[0])
