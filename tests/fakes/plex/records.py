"""The records the Plex double's library is made of: metadata items and library sections.

An Item carries what a real server derives for it: its own guid (`plex://…` on the new agents,
the agent's on legacy ones), the external `<Guid>` ids, the sort title, the duration and its
media versions (`Version`: one `<Media>` with its `<Part>` file each); a Section its agent,
scanner and uuid. `TYPE_CODES` are Plex's metadata type numbers (`?type=`).
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
class Version:
    """One `<Media>` of an item, with the attributes python-plexapi's media.py reads
    (Media.videoResolution, videoCodec, bitrate, width, height; MediaPart.file and size) and
    the HDR a video `<Stream>` carries (VideoStream.colorTrc "smpte2084" for HDR10,
    DOVIPresent for Dolby Vision). `id` is the media id that
    `DELETE /library/metadata/{ratingKey}/media/{id}` (plexapi Media.delete()) names."""

    id: int
    resolution: str  # videoResolution: "sd", "480", "720", "1080", "4k"
    codec: str  # videoCodec: h264, hevc, av1, mpeg4
    kbps: int
    hdr: str = ""  # "", "HDR10" or "Dolby Vision"
    suffix: str = ""  # of the file name: " - 4K", " - Remux"
    width: int = 1920
    height: int = 800


DEFAULT_VERSIONS = (  # (videoResolution, videoCodec, kbps, hdr, suffix, width, height)
    ("1080", "h264", 8000, "", "", 1920, 800),
    ("4k", "hevc", 25000, "HDR10", " - 4K", 3840, 1600),
)


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
    media: list[Version] | None = None  # None: the catalog's (1080p, then a 4K HDR copy)

    def versions(self) -> list[Version]:
        """The item's `<Media>` versions; movies get the catalog's count, episodes one."""
        if self.media is None:
            if self.kind not in ("movie", "episode"):
                return []
            count = self.source.versions if self.kind == "movie" else 1
            self.media = [Version(self.rating_key * 10 + n, r, c, k, h, x, w, ht)
                          for n, (r, c, k, h, x, w, ht) in enumerate(DEFAULT_VERSIONS[:count])]
        return self.media

    @property
    def guid(self) -> str:
        """The item's own guid: `plex://…` for the new agents, the legacy agent's otherwise.

        The same title in two libraries has the same plex guid, as on a real server."""
        t = self.source
        if t.legacy_agent or self.legacy:
            if self.kind == "movie":
                return f"com.plexapp.agents.imdb://{t.imdb_id}?lang=en"
            # TheTVDB agent: the show's id, then season and episode numbers as path segments
            # (a captured episode: guid com.plexapp.agents.thetvdb://70327/1/1?lang=en,
            # parentGuid …/70327/1?lang=en; trakt/Plex-Trakt-Scrobbler's plex_metadata parses
            # legacy guids the same way)
            path = {"season": f"/{self.index or 0}",
                    "episode": f"/{self.parent_index or 0}/{self.index or 0}"}.get(self.kind, "")
            return f"com.plexapp.agents.thetvdb://{t.tvdb_id}{path}?lang=en"
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
