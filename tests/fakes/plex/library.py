"""The Plex double's library: three sections of metadata items built from the shared Catalog.

Rating keys are handed out in a fixed order (Movies, then every show with its seasons and
episodes, then Kids Movies), so the same catalog always yields the same keys. Collections share
the same key space, as on a real server.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from tests.fakes.catalog import Catalog, Title
from tests.fakes.plex.records import TYPE_CODES, Item, Section, Version, epoch

MOVIES, SHOWS, KIDS = 1, 2, 3
# opt-in (Library(legacy_libraries=True)): whole libraries on the legacy agents, and a music
# library, which real servers list among the sections (type="artist") and apps must skip
LEGACY_MOVIES, LEGACY_SHOWS, MUSIC = 4, 5, 6
LEGACY_DUPLICATES = 3  # the first movies of the IMDb-agent library are there twice (two files)
KIDS_GENRES = {16, 10751}  # Animation, Family
KIDS_SIZE = 36  # every third of them is only in Kids Movies; the rest are cross-library duplicates
FIRST_RATING_KEY = 101


class Library:
    """Sections and items. Callers hold the server's lock around any mutation."""

    def __init__(self, catalog: Catalog, legacy_libraries: bool = False):
        self.catalog = catalog
        self.items: dict[int, Item] = {}
        self._by_tmdb: dict[tuple[int, str, int], int] = {}  # (section, kind, tmdb id) -> key
        self._next_key = FIRST_RATING_KEY
        self._today = epoch(catalog.today)
        created = self._today - 400 * 86400
        self.sections = {
            MOVIES: Section(MOVIES, "Movies", "movie", "/data/movies", created),
            SHOWS: Section(SHOWS, "TV Shows", "show", "/data/tv", created),
            KIDS: Section(KIDS, "Kids Movies", "movie", "/data/kids", created),
        }
        if legacy_libraries:
            self.sections |= {
                LEGACY_MOVIES: Section(LEGACY_MOVIES, "Old Movies", "movie", "/data/old-movies",
                                       created, legacy_agent="com.plexapp.agents.imdb"),
                LEGACY_SHOWS: Section(LEGACY_SHOWS, "Old TV", "show", "/data/old-tv", created,
                                      legacy_agent="com.plexapp.agents.thetvdb"),
                MUSIC: Section(MUSIC, "Music", "artist", "/data/music", created),
            }
        self._populate(catalog)

    # building --------------------------------------------------------------------------------
    def _populate(self, catalog: Catalog) -> None:
        kids = [t for t in catalog.movies if t.in_plex and KIDS_GENRES & set(t.genre_ids)]
        kids = kids[:KIDS_SIZE]
        kids_only = {t.tmdb_id for i, t in enumerate(kids) if i % 3 == 2}
        for t in catalog.movies:
            if t.in_plex and t.tmdb_id not in kids_only:
                self.add_title(MOVIES, t, self._initial_added_at(t), touch=False)
        for t in catalog.shows:
            if t.in_plex:
                self.add_title(SHOWS, t, self._initial_added_at(t), touch=False)
        for t in kids:  # the family library was set up a week after the main one
            self.add_title(KIDS, t, self._initial_added_at(t, delay_days=7), touch=False)
        if LEGACY_MOVIES in self.sections:  # an old server, on the legacy agents throughout
            movies = [t for t in catalog.movies if t.in_plex]
            for t in movies + movies[:LEGACY_DUPLICATES]:
                self.add_title(LEGACY_MOVIES, t, self._initial_added_at(t, 3), touch=False)
            for t in catalog.shows:
                if t.in_plex:
                    self.add_title(LEGACY_SHOWS, t, self._initial_added_at(t, 3), touch=False)
        latest: dict[int, int] = {}
        for item in self.items.values():
            latest[item.section] = max(latest.get(item.section, 0), item.updated_at)
        for section in self.sections.values():  # the last scan saw the newest item
            section.updated_at = section.scanned_at = latest.get(section.key, section.created_at)
            section.content_changed_at = len(section.top)

    def _initial_added_at(self, t: Title, delay_days: int = 0) -> int:
        """A month after release, but always at least a day before the catalog's today."""
        jitter = (t.tmdb_id * 7919) % 82800
        added = epoch(t.release_date) + (30 + delay_days) * 86400
        return min(added, self._today - 2 * 86400) + jitter

    def allocate_key(self) -> int:
        key = self._next_key
        self._next_key += 1
        return key

    def add_title(self, section_key: int, title: Title, added_at: int,
                  touch: bool = True) -> Item:
        section = self.sections[section_key]
        kind = "movie" if section.type == "movie" else "show"
        if title.kind != kind:
            raise ValueError(f"a {title.kind} cannot go into the {section.title} library")
        item = self._new(kind, section_key, title.title, title.release_date, added_at, title)
        section.top.append(item.rating_key)
        # a second copy in the same library is a duplicate; lookups keep finding the first
        self._by_tmdb.setdefault((section_key, kind, title.tmdb_id), item.rating_key)
        if kind == "show":
            self._add_seasons(item)
        if touch:
            self.touch(section_key, scanned=True)
        return item

    def _new(self, kind: str, section: int, name: str, release: str, added_at: int,
             source: Title, **links) -> Item:
        item = Item(self.allocate_key(), kind, section, name, release, added_at,
                    added_at + 600, source, **links,
                    legacy=bool(self.sections[section].legacy_agent))
        self.items[item.rating_key] = item
        return item

    def _add_seasons(self, show: Item) -> None:
        t = show.source
        for s in range(1, t.seasons + 1):
            season = self._new("season", show.section, f"Season {s}", self._aired(t, s, 1),
                               show.added_at + s, t, index=s, parent=show.rating_key)
            show.children.append(season.rating_key)
            for e in range(1, t.episodes_per_season + 1):
                episode = self._new("episode", show.section, f"Episode {e}",
                                    self._aired(t, s, e), show.added_at + s * 100 + e, t, index=e,
                                    parent=season.rating_key, grandparent=show.rating_key,
                                    parent_index=s)
                season.children.append(episode.rating_key)

    def _aired(self, show: Title, season: int, episode: int) -> str:
        """Weekly episodes, a season a year, never later than the catalog's today."""
        aired = date.fromisoformat(show.release_date)
        aired = aired.fromordinal(aired.toordinal() + ((season - 1) * 52 + episode - 1) * 7)
        return min(aired, self.catalog.today).isoformat()

    # versions and duplicates ---------------------------------------------------------------
    def add_version(self, rating_key: int, resolution: str, codec: str, kbps: int,
                    hdr: str = "", suffix: str = "", width: int = 1920,
                    height: int = 800) -> Version:
        """Another file of a movie or episode, which a scan merges into the item as one more
        `<Media>` (Plex support: "Multiple Editions/Versions" of a movie in one folder)."""
        item = self.items[rating_key]
        have = item.versions()
        media_id = max((v.id for v in have), default=rating_key * 10) + 1
        version = Version(media_id, resolution, codec, kbps, hdr, suffix, width, height)
        have.append(version)
        item.updated_at += 1
        self.touch(item.section, scanned=True)
        return version

    def delete_version(self, rating_key: int, media_id: int) -> bool:
        """Drop one `<Media>` (and its file); an item's last one takes the item with it, as
        deleting the only file of a title removes it at the next scan."""
        item = self.items[rating_key]
        kept = [v for v in item.versions() if v.id != media_id]
        if len(kept) == len(item.versions()):
            return False
        item.media = kept
        item.updated_at += 1
        if not kept and item.top:
            self.remove(rating_key)
        elif not kept:
            self._remove_leaf(item)
        else:
            self.touch(item.section, scanned=True)
        return True

    def duplicate_episode(self, rating_key: int, added_at: int | None = None) -> Item:
        """The same episode (show, season, number) a second time as its own item, as a scan
        makes of two differently named files Plex could not merge."""
        ep = self.items[rating_key]
        when = int(added_at if added_at is not None else ep.added_at + 1)
        twin = self._new("episode", ep.section, ep.title, ep.release, when, ep.source,
                         index=ep.index, parent=ep.parent, grandparent=ep.grandparent,
                         parent_index=ep.parent_index)
        self.items[ep.parent].children.append(twin.rating_key)
        self.touch(ep.section, scanned=True)
        return twin

    def _remove_leaf(self, item: Item) -> None:
        self.items.pop(item.rating_key, None)
        season = self.items.get(item.parent)
        if season is not None and item.rating_key in season.children:
            season.children.remove(item.rating_key)
        self.touch(item.section, scanned=True)

    def recently_added(self, section_key: int | None = None) -> list[Item]:
        """Movies and the seasons episodes arrived in, newest first (a real server's
        /library/recentlyAdded groups new episodes by season)."""
        found = [i for i in self.items.values() if i.kind in ("movie", "season")
                 and section_key in (None, i.section)]

        def newest(item: Item) -> tuple[int, int]:
            leaves = [self.items[k].added_at for k in item.children] if item.kind == "season" \
                else []
            return max([item.added_at, *leaves]), item.rating_key

        return sorted(found, key=newest, reverse=True)

    def remove(self, rating_key: int) -> Item:
        """Gone from the library, as after emptying the trash: its seasons and episodes too,
        and a season or show left with no episodes (Plex lists no empty season)."""
        item = self.items.pop(rating_key)
        for child in list(item.children):
            self.remove(child)
        parent = self.items.get(item.parent) if item.parent else None
        if parent is not None and rating_key in parent.children:
            parent.children.remove(rating_key)
            if not parent.children:
                self.remove(parent.rating_key)
        if item.top:
            self.sections[item.section].top.remove(rating_key)
            self._forget_tmdb(item)
            self.touch(item.section, scanned=True)
        return item

    def _forget_tmdb(self, item: Item) -> None:
        key = (item.section, item.kind, item.source.tmdb_id)
        if self._by_tmdb.get(key) == item.rating_key:
            del self._by_tmdb[key]
            twin = next((k for k in self.sections[item.section].top
                         if self.items[k].source.tmdb_id == item.source.tmdb_id
                         and self.items[k].kind == item.kind), None)
            if twin is not None:
                self._by_tmdb[key] = twin

    def touch(self, section_key: int, scanned: bool = False) -> None:
        """Record a content change; a scan also moves updatedAt/scannedAt."""
        section = self.sections[section_key]
        section.content_changed_at += 1
        if scanned:
            now = int(datetime.now(UTC).timestamp())
            section.updated_at = section.scanned_at = max(now, section.updated_at + 1)

    # reading ---------------------------------------------------------------------------------
    def listing(self, section_key: int, type_code: int) -> list[Item]:
        """Every item of one type in a section (type codes as in `?type=`)."""
        section = self.sections[section_key]
        top = [self.items[k] for k in section.top]
        if section.type == "artist":
            return []
        if type_code in (0, TYPE_CODES[section.type]):
            return top
        if section.type != "show":
            return []
        seasons = [self.items[k] for show in top for k in show.children]
        if type_code == TYPE_CODES["season"]:
            return seasons
        if type_code == TYPE_CODES["episode"]:
            return [self.items[k] for season in seasons for k in season.children]
        return []

    def leaves(self, item: Item) -> list[Item]:
        """The episodes under a show or a season."""
        if item.kind == "season":
            return [self.items[k] for k in item.children]
        if item.kind == "show":
            return [self.items[e] for s in item.children for e in self.items[s].children]
        return []

    def rating_key_for(self, tmdb_id: int, kind: str = "movie",
                       library_key: int | None = None) -> int | None:
        for section_key in sorted(self.sections):
            if library_key in (None, section_key):
                key = self._by_tmdb.get((section_key, kind, int(tmdb_id)))
                if key is not None:
                    return key
        return None
