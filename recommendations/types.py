"""The engine's values: seeds, candidates, picks, service cards and dataset changes.

Every result has `as_dict()` returning plain JSON types, because results go into job reports.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

MOVIE, SHOW = "movie", "show"
# The rows a viewer gets, in the order their hubs stand in Plex.
KINDS = ("recently_watched", "change_of_taste", "immaculate_taste", "fresh_out")
SIMILAR, CONTRAST = "similar", "contrast"
RELEASED, UPCOMING, UNKNOWN = "released", "upcoming", "unknown"

# Service card states (the report shows one card per service, always).
OK, NOT_ENABLED, SKIPPED = "ok", "not enabled", "skipped"


def failed(reason: str) -> str:
    return f"failed: {reason}"


@dataclass
class Seed:
    """What a job knows about the title that was watched: GUID ids and/or title + year."""

    title: str = ""
    year: int | None = None
    tmdb_id: int | None = None
    imdb_id: str | None = None
    tvdb_id: int | None = None
    rating_key: int | None = None

    @classmethod
    def from_item(cls, item: Any) -> Seed:
        """A vault PlexItem (or anything with the same attributes)."""
        return cls(title=getattr(item, "title", "") or "", year=getattr(item, "year", None),
                   tmdb_id=getattr(item, "tmdb_id", None), imdb_id=getattr(item, "imdb_id", None),
                   tvdb_id=getattr(item, "tvdb_id", None),
                   rating_key=getattr(item, "rating_key", None))


@dataclass
class ResolvedSeed:
    tmdb_id: int
    media_type: str
    title: str
    year: int | None
    release_date: str | None
    genre_ids: list[int]
    genres: list[str]
    vote_average: float
    vote_count: int
    resolved_by: str  # "tmdb guid" | "imdb guid" | "tvdb guid" | "search"
    rating_key: int | None = None

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class Candidate:
    """A title from one or more pools, before ranking."""

    tmdb_id: int
    title: str
    release_date: str | None
    genre_ids: list[int]
    vote_average: float
    vote_count: int
    popularity: float
    poster_path: str | None
    sources: list[str] = field(default_factory=list)  # "recommendations", "similar", …
    rank_hint: int = 0  # best position seen in any TMDB list (0 = first)
    bucket: str = UNKNOWN
    score: float = 0.0

    @property
    def year(self) -> int | None:
        return int(self.release_date[:4]) if self.release_date else None

    @classmethod
    def from_result(cls, result: dict, source: str, position: int) -> Candidate:
        """A TMDB list result (movie or TV shape)."""
        released = result.get("release_date") or result.get("first_air_date") or None
        return cls(
            tmdb_id=int(result["id"]), title=result.get("title") or result.get("name") or "",
            release_date=released, genre_ids=list(result.get("genre_ids") or []),
            vote_average=float(result.get("vote_average") or 0.0),
            vote_count=int(result.get("vote_count") or 0),
            popularity=float(result.get("popularity") or 0.0),
            poster_path=result.get("poster_path"), sources=[source], rank_hint=position,
        )


@dataclass
class Pick:
    tmdb_id: int
    title: str
    year: int | None
    release_date: str | None
    vote_average: float
    vote_count: int
    poster_path: str | None
    bucket: str
    why: str
    sources: list[str]
    score: float
    tvdb_id: int | None = None
    imdb_id: str | None = None  # looked up only when needed (shows, legacy-agent Plex items)
    rating_key: int | None = None
    chosen_by: str = "ranking"  # "ranking" | "openai"

    @property
    def in_plex(self) -> bool:
        return self.rating_key is not None

    def release(self) -> date | None:
        try:
            return date.fromisoformat(self.release_date) if self.release_date else None
        except ValueError:
            return None

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class ServiceCard:
    status: str  # OK | NOT_ENABLED | SKIPPED | "failed: …"
    contributed: str = ""
    suggested: list[str] = field(default_factory=list)  # titles this service put forward
    requests: int = 0

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class SuggestionResult:
    mode: str
    media_type: str
    count: int
    picks: list[Pick]
    breakdown: dict[str, ServiceCard]
    seed: ResolvedSeed | None
    notes: list[str] = field(default_factory=list)
    # why the seed could not be looked up when a service failed (a ServiceError or the TMDB
    # budget running out); None when TMDB answered, even with no match
    seed_error: Exception | None = field(default=None, repr=False, compare=False)

    @property
    def ok(self) -> bool:
        return self.seed is not None and bool(self.picks)

    def as_dict(self) -> dict:
        return {
            "mode": self.mode, "media_type": self.media_type, "count": self.count,
            "seed": self.seed.as_dict() if self.seed else None,
            "picks": [p.as_dict() for p in self.picks],
            "breakdown": {name: card.as_dict() for name, card in self.breakdown.items()},
            "notes": list(self.notes),
        }


@dataclass
class DatasetChanges:
    """What a dataset operation did (or, on a dry run, would do)."""

    dataset: str
    dry_run: bool
    created: list[dict] = field(default_factory=list)  # new rows, each with its status
    refreshed: list[dict] = field(default_factory=list)  # re-suggested, back to max points
    activated: list[dict] = field(default_factory=list)  # pending -> active
    # Every suggested title left pending (not in Plex): new rows and re-suggested ones alike,
    # so "created 10, pending 9" reads true when 9 of 10 new titles are missing from Plex.
    pending: list[dict] = field(default_factory=list)
    decayed: int = 0
    removed: list[dict] = field(default_factory=list)
    replaced: int = 0  # snapshot rows deleted before the new ones were written

    @property
    def kept_pending(self) -> list[dict]:
        """The name job reports read; the same titles as `pending`."""
        return self.pending

    @property
    def changed(self) -> bool:
        return bool(self.created or self.refreshed or self.activated or self.decayed
                    or self.removed or self.replaced)

    def counts(self) -> dict[str, int]:
        """Named figures for a report; created_active + created_pending == created."""
        new_pending = sum(1 for r in self.created if r.get("status") == "pending")
        return {"created": len(self.created), "created_active": len(self.created) - new_pending,
                "created_pending": new_pending, "refreshed": len(self.refreshed),
                "activated": len(self.activated), "pending": len(self.pending),
                "decayed": self.decayed, "removed": len(self.removed),
                "replaced": self.replaced}

    def as_dict(self) -> dict:
        return asdict(self)
