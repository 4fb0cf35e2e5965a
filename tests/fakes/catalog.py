"""One deterministic synthetic catalog shared by the Plex and TMDB doubles.

The same seed always yields the same titles, ids, genres, dates and recommendation graph, so a
test can ask TMDB for a title's recommendations and find some of them in the Plex double.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

MOVIE_GENRES = {
    28: "Action", 12: "Adventure", 16: "Animation", 35: "Comedy", 80: "Crime",
    99: "Documentary", 18: "Drama", 10751: "Family", 14: "Fantasy", 36: "History",
    27: "Horror", 10402: "Music", 9648: "Mystery", 10749: "Romance",
    878: "Science Fiction", 10770: "TV Movie", 53: "Thriller", 10752: "War", 37: "Western",
}
TV_GENRES = {
    10759: "Action & Adventure", 16: "Animation", 35: "Comedy", 80: "Crime",
    99: "Documentary", 18: "Drama", 10751: "Family", 10762: "Kids", 9648: "Mystery",
    10763: "News", 10764: "Reality", 10765: "Sci-Fi & Fantasy", 10766: "Soap",
    10767: "Talk", 10768: "War & Politics", 37: "Western",
}
_ADJ = ("Silent", "Crimson", "Broken", "Golden", "Hidden", "Last", "Midnight", "Electric",
        "Frozen", "Savage", "Quiet", "Wild", "Burning", "Hollow", "Distant", "Iron", "Velvet",
        "Lost", "Bright", "Endless", "Paper", "Glass", "Northern", "Secret", "Restless")
_NOUN = ("River", "Empire", "Garden", "Signal", "Harbor", "Witness", "Horizon", "Machine",
         "Kingdom", "Summer", "Protocol", "Shadow", "Orchard", "Frontier", "Letter", "Station",
         "Mirror", "Tide", "Compass", "Lantern", "Island", "Verdict", "Circuit", "Meadow")

MOVIE_ID_BASE = 1000
SHOW_ID_BASE = 500000
TVDB_ID_BASE = 300000


@dataclass
class Title:
    """A movie or a show as both TMDB and Plex know it."""

    kind: str  # "movie" | "show"
    tmdb_id: int
    imdb_id: str
    title: str
    year: int
    release_date: str  # ISO date; first_air_date for shows
    genre_ids: list[int]
    vote_average: float
    vote_count: int
    popularity: float
    poster_path: str
    original_language: str
    overview: str
    runtime_minutes: int
    in_plex: bool
    legacy_agent: bool = False  # Plex item uses com.plexapp.agents.imdb://, no Guid children
    versions: int = 1  # media versions on the Plex item
    tvdb_id: int | None = None
    seasons: int = 0
    episodes_per_season: int = 0
    recommendations: list[int] = field(default_factory=list)
    similar: list[int] = field(default_factory=list)

    @property
    def upcoming(self) -> bool:
        return self.release_date > date.today().isoformat()

    @property
    def genres(self) -> dict[int, str]:
        names = MOVIE_GENRES if self.kind == "movie" else TV_GENRES
        return {g: names[g] for g in self.genre_ids}


class Catalog:
    """Deterministic titles plus a recommendation graph.

    `n_movies`/`n_shows` is the size knob (benchmarks use 20,000+). About 8% of titles are
    upcoming (release within the next 24 months), about 60% of released titles are in Plex,
    every 10th Plex movie uses a legacy agent and every 25th has two media versions.
    """

    def __init__(self, n_movies: int = 2000, n_shows: int = 300, seed: int = 1234,
                 today: date | None = None):
        self.today = today or date.today()
        self.seed = seed
        rng = random.Random(seed)
        self.movies = [self._make(rng, "movie", i) for i in range(n_movies)]
        self.shows = [self._make(rng, "show", i) for i in range(n_shows)]
        self._link(rng, self.movies)
        self._link(rng, self.shows)
        self.by_tmdb = {("movie", t.tmdb_id): t for t in self.movies}
        self.by_tmdb.update({("show", t.tmdb_id): t for t in self.shows})
        self.by_imdb = {t.imdb_id: t for t in self.movies + self.shows}
        self.by_tvdb = {t.tvdb_id: t for t in self.shows}

    def get(self, kind: str, tmdb_id: int) -> Title | None:
        return self.by_tmdb.get((kind, int(tmdb_id)))

    def titles(self, kind: str) -> list[Title]:
        return self.movies if kind == "movie" else self.shows

    def _make(self, rng: random.Random, kind: str, i: int) -> Title:
        genres = list(MOVIE_GENRES if kind == "movie" else TV_GENRES)
        picked = rng.sample(genres, rng.choice((1, 2, 2, 3)))
        upcoming = rng.random() < 0.08
        if upcoming:
            released = self.today + timedelta(days=rng.randint(7, 700))
        elif rng.random() < 0.06:
            released = self.today - timedelta(days=rng.randint(1, 85))  # fresh releases
        else:
            released = self.today - timedelta(days=rng.randint(90, 365 * 60))
        words = f"{rng.choice(_ADJ)} {rng.choice(_NOUN)}"
        title = f"The {words}" if i % 3 == 0 else words
        combos = len(_ADJ) * len(_NOUN)
        title = f"{title} {i // combos + 1}" if i >= combos else title
        base = MOVIE_ID_BASE if kind == "movie" else SHOW_ID_BASE
        tmdb_id = base + i
        in_plex = not upcoming and rng.random() < 0.6
        return Title(
            kind=kind, tmdb_id=tmdb_id, imdb_id=f"tt{9000000 + tmdb_id:07d}", title=title,
            year=released.year, release_date=released.isoformat(), genre_ids=picked,
            vote_average=0.0 if upcoming else round(rng.uniform(3.0, 9.2), 1),
            vote_count=0 if upcoming else int(rng.paretovariate(1.2) * 40),
            popularity=round(rng.uniform(1, 300), 3), poster_path=f"/poster{tmdb_id}.jpg",
            original_language=rng.choice(("en", "en", "en", "fr", "ko", "ja", "es")),
            overview=f"A {picked and (MOVIE_GENRES | TV_GENRES)[picked[0]].lower()} story about "
                     f"a {words.lower()}.",
            runtime_minutes=rng.randint(80, 170) if kind == "movie" else rng.randint(22, 60),
            in_plex=in_plex, legacy_agent=in_plex and kind == "movie" and i % 10 == 7,
            versions=2 if in_plex and i % 25 == 3 else 1,
            tvdb_id=TVDB_ID_BASE + i if kind == "show" else None,
            seasons=rng.randint(1, 6) if kind == "show" else 0,
            episodes_per_season=rng.randint(6, 12) if kind == "show" else 0,
        )

    @staticmethod
    def _link(rng: random.Random, titles: list[Title]) -> None:
        """Recommendations share the primary genre; similar shares any genre."""
        by_genre: dict[int, list[Title]] = {}
        for t in titles:
            for g in t.genre_ids:
                by_genre.setdefault(g, []).append(t)
        for t in titles:
            same = by_genre[t.genre_ids[0]]
            picked = rng.sample(same, min(21, len(same)))
            t.recommendations = [o.tmdb_id for o in picked if o is not t][:20]
            pool = by_genre[rng.choice(t.genre_ids)]
            t.similar = [o.tmdb_id for o in rng.sample(pool, min(21, len(pool))) if o is not t][:20]
