"""A task's missing-title routing, and one missing title, as the job step hands them over."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Routing:
    fetch_missing: bool
    route: str  # "direct" | "overseerr"
    approval: bool
    search_now: bool

    def __post_init__(self):
        # Overseerr owns approval and searching: the direct-only switches do not apply
        if self.route == "overseerr":
            object.__setattr__(self, "approval", False)
            object.__setattr__(self, "search_now", False)


@dataclass
class Missing:
    tmdb_id: int
    title: str
    year: int | None
    tvdb_id: int | None = None
    poster_path: str = ""
    why: str = ""
