"""Duplicate groups: copies of one title within and across the selected libraries.

A movie is duplicated when one item has several media versions, or when several items share a
TMDB, IMDb or TVDB id (legacy-agent items carry only one of them, so ids are joined
transitively). For TV it is the episode that is duplicated (same show, season and episode
number), never the whole show: a show in two libraries is a group per episode.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from jobs.definitions.hygiene.keep import Version
from vault.mirror.parse import versions as parse_versions


@dataclass
class Copy:
    """One Plex item (movie or episode) with its media versions (mirror dicts)."""

    rating_key: int
    library: str
    library_title: str
    title: str
    year: int | None = None
    ids: tuple = ()  # ("tmdb", 603), ("imdb", "tt…"), ("tvdb", 7) …
    added_at: int = 0
    versions: list[dict] = field(default_factory=list)
    show: int | None = None  # an episode's show ratingKey
    season: int | None = None
    episode: int | None = None
    tmdb_id: int | None = None
    tvdb_id: int | None = None
    imdb_id: str = ""


@dataclass
class Group:
    label: str
    kind: str  # movie | episode
    copies: list[Copy]

    @property
    def versions(self) -> list[Version]:
        return [as_version(c, v) for c in self.copies for v in c.versions
                if v.get("id") is not None]


def _epoch(value) -> int:
    if isinstance(value, datetime):
        return int(value.timestamp())
    try:
        return int(value or 0)
    except (TypeError, ValueError):
        return 0


def as_version(c: Copy, v: dict) -> Version:
    return Version(rating_key=c.rating_key, media_id=int(v["id"]), library=c.library_title,
                   title=c.title, resolution=v.get("resolution") or "", hdr=v.get("hdr"),
                   codec=v.get("codec") or "", bitrate=int(v.get("bitrate") or 0),
                   size=int(v.get("size") or 0), file=v.get("file") or "",
                   added_at=c.added_at)


def ids_of(item) -> tuple:
    found = [("tmdb", item.tmdb_id) if item.tmdb_id else None,
             ("imdb", item.imdb_id) if item.imdb_id else None,
             ("tvdb", item.tvdb_id) if item.tvdb_id else None]
    return tuple(f for f in found if f)


def copy_of_item(item) -> Copy:
    """A movie (or show) row of the mirror."""
    return Copy(item.rating_key, item.library.key, item.library.title, item.title, item.year,
                ids_of(item), _epoch(item.added_at), list(item.versions or []),
                tmdb_id=item.tmdb_id, tvdb_id=item.tvdb_id, imdb_id=item.imdb_id or "")


def copy_of_episode(el, library, show: Copy) -> Copy:
    """An episode element (allLeaves or a `?type=4` listing) of a show in the mirror."""
    def num(name):
        try:
            return int(el.get(name))
        except (TypeError, ValueError):
            return None

    season, episode = num("parentIndex"), num("index")
    label = f"{show.title} S{season or 0:02d}E{episode or 0:02d}"
    return Copy(int(el.get("ratingKey")), library.key, library.title, label, show.year,
                show.ids, _epoch(el.get("addedAt")), parse_versions(el),
                show=show.rating_key, season=season, episode=episode,
                tmdb_id=show.tmdb_id, tvdb_id=show.tvdb_id)


def clusters(copies: list[Copy]) -> list[list[Copy]]:
    """Copies joined by any shared id (union-find), each cluster in ratingKey order."""
    parent = list(range(len(copies)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first: dict = {}
    for i, c in enumerate(copies):
        for ident in c.ids:
            if ident in first:
                parent[root(i)] = root(first[ident])
            else:
                first[ident] = i
    found: dict[int, list[Copy]] = {}
    for i, c in enumerate(copies):
        found.setdefault(root(i), []).append(c)
    return [sorted(g, key=lambda c: c.rating_key) for g in found.values()]


def movie_groups(copies: list[Copy]) -> list[Group]:
    """Clusters holding two media versions or more."""
    groups = []
    for cluster in clusters(copies):
        if sum(len([v for v in c.versions if v.get("id") is not None]) for c in cluster) > 1:
            head = cluster[0]
            label = f"{head.title} ({head.year})" if head.year else head.title
            groups.append(Group(label, "movie", cluster))
    return sorted(groups, key=lambda g: g.label.lower())


def show_clusters(shows: list[Copy]) -> dict[int, int]:
    """{show ratingKey: cluster number}: the same show in several libraries is one show."""
    return {c.rating_key: n for n, cluster in enumerate(clusters(shows)) for c in cluster}


def episode_groups(episodes: list[Copy], cluster_of: dict[int, int]) -> list[Group]:
    """Episodes with the same show (cluster), season and number, holding two versions or
    more (one item with two files, or two items)."""
    by_key: dict[tuple, list[Copy]] = {}
    for ep in episodes:
        if ep.season is None or ep.episode is None:
            continue
        key = (cluster_of.get(ep.show, -ep.show), ep.season, ep.episode)
        by_key.setdefault(key, []).append(ep)
    groups = []
    for same in by_key.values():
        if sum(len([v for v in c.versions if v.get("id") is not None]) for c in same) > 1:
            same.sort(key=lambda c: c.rating_key)
            groups.append(Group(same[0].title, "episode", same))
    return sorted(groups, key=lambda g: g.label.lower())


def refresh_versions(groups: list[Group], elements: list) -> None:
    """Replace the groups' versions with those of the full items (their streams carry HDR);
    an item Plex no longer has loses its versions."""
    fresh = {int(el.get("ratingKey")): parse_versions(el) for el in elements}
    for group in groups:
        for c in group.copies:
            c.versions = fresh.get(c.rating_key, [])
