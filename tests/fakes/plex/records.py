"""The records the Plex double's library is made of: metadata items and library sections.

An Item carries what a real server derives for it: its own guid (`plex://…` on the new agents,
the agent's on legacy ones), the external `<Guid>` ids, the sort title and the duration; a
Section its agent, scanner and uuid. `TYPE_CODES` are Plex's metadata type numbers (`?type=`).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time

from tests.fakes.catalog import Title

TYPE_CODES = {"movie": 1, "show": 2, "season": 3, "episode": 4, "artist": 8, "collection": 18}
_ARTICLES = ("the ", "a ", "an ")


def epoch(day: str | date) -> int:
    day = date.fromisoformat(day) if isinstance(day, str) else day
    return int(datetime.combine(day, time(), tzinfo=UTC).timestamp())


def title_sort(title: str) -> str:
    """Plex sorts titles without a leading article ("The Matrix" under M)."""
    low = title.lower()
    for article in _ARTICLES:
        if low.startswith(article):
            return low[len(article):]
    return low


@dataclass(slots=True)
class Item:
    rating_key: int
    kind: str  # movie | show | season | episode
    section: int
    title: str
    release: str  # ISO date (originallyAvailableAt)
    added_at: int
    updated_at: int
    source: Title  # the catalog title; the show's title for seasons and episodes
    index: int | None = None  # season number, or episode number within its season
    parent: int | None = None  # the show of a season, the season of an episode
    grandparent: int | None = None  # the show of an episode
    parent_index: int | None = None  # an episode's season number
    children: list[int] = field(default_factory=list)
    legacy: bool = False  # in a library on a legacy agent (every item, whatever the title)

    @property
    def guid(self) -> str:
        """The item's own guid: `plex://…` for the new agents, the legacy agent's otherwise.

        The same title in two libraries has the same plex guid, as on a real server."""
        t = self.source
        if (t.legacy_agent or self.legacy) and self.top:
            if self.kind == "movie":
                return f"com.plexapp.agents.imdb://{t.imdb_id}?lang=en"
            return f"com.plexapp.agents.thetvdb://{t.tvdb_id}?lang=en"
        serial = {"season": t.tmdb_id * 1000 + (self.index or 0),
                  "episode": (t.tmdb_id * 1000 + (self.parent_index or 0)) * 1000
                  + (self.index or 0)}.get(self.kind, t.tmdb_id)
        return f"plex://{self.kind}/5d7768{serial:018x}"

    @property
    def external_guids(self) -> list[str]:
        """The `<Guid>` children; legacy-agent items have none (python-plexapi documents
        `guids` as the new agents' Guid tags; legacy items only have the agent `guid`)."""
        t = self.source
        if t.legacy_agent or self.legacy:
            return []
        if self.kind == "movie":
            return [f"imdb://{t.imdb_id}", f"tmdb://{t.tmdb_id}"]
        if self.kind == "show":
            return [f"imdb://{t.imdb_id}", f"tmdb://{t.tmdb_id}", f"tvdb://{t.tvdb_id}"]
        if self.kind == "season":
            return [f"tvdb://{t.tvdb_id * 100 + (self.index or 0)}"]
        serial = (t.tvdb_id * 100 + (self.parent_index or 0)) * 100 + (self.index or 0)
        return [f"imdb://tt{50000000 + serial}", f"tmdb://{serial}", f"tvdb://{serial}"]

    @property
    def year(self) -> int:
        return int(self.release[:4])

    @property
    def sort_title(self) -> str:
        return title_sort(self.title)

    @property
    def duration_ms(self) -> int:
        return self.source.runtime_minutes * 60_000

    @property
    def top(self) -> bool:
        return self.kind in ("movie", "show")


@dataclass
class Section:
    key: int
    title: str
    type: str  # movie | show
    folder: str
    created_at: int
    top: list[int] = field(default_factory=list)  # movies or shows, in the order they arrived
    updated_at: int = 0
    scanned_at: int = 0
    content_changed_at: int = 0  # a change counter on a real server, not a timestamp
    legacy_agent: str = ""  # e.g. com.plexapp.agents.imdb: the library's (legacy) agent

    @property
    def uuid(self) -> str:
        digest = hashlib.md5(f"section-{self.key}".encode()).hexdigest()
        return f"{digest[:8]}-{digest[8:12]}-{digest[12:16]}-{digest[16:20]}-{digest[20:32]}"

    @property
    def agent(self) -> str:
        if self.legacy_agent:
            return self.legacy_agent
        return {"movie": "tv.plex.agents.movie", "show": "tv.plex.agents.series",
                "artist": "tv.plex.agents.music"}[self.type]

    @property
    def scanner(self) -> str:
        if self.legacy_agent:
            return "Plex Movie Scanner" if self.type == "movie" else "Plex Series Scanner"
        return {"movie": "Plex Movie", "show": "Plex TV Series", "artist": "Plex Music"}[
            self.type]
