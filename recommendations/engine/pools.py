"""Candidate pools from TMDB for one resolved seed.

Similar: recommendations and similar (first pages), discover by the seed's genres with at least
150 votes, and upcoming titles in those genres (next 24 months). Contrast: the same lists plus
discover and upcoming with the seed's genres excluded. Every list is optional: a failing or
over-budget list is noted and the others still count.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from recommendations.engine.mix import UPCOMING_HORIZON_DAYS
from recommendations.types import CONTRAST, MOVIE, Candidate, ResolvedSeed

MIN_VOTES = 150
GRAPH_PAGES = 2  # recommendations and similar: pages asked per list
DISCOVER_PAGES = 2
UPCOMING_PAGES = 1


@dataclass
class Pools:
    candidates: dict[int, Candidate] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)  # results each list gave
    problems: list[str] = field(default_factory=list)

    def add(self, result: dict, source: str, position: int) -> None:
        if not result.get("id"):
            return
        self.counts[source] = self.counts.get(source, 0) + 1
        found = Candidate.from_result(result, source, position)
        known = self.candidates.get(found.tmdb_id)
        if known is None:
            self.candidates[found.tmdb_id] = found
            return
        if source not in known.sources:
            known.sources.append(source)
        known.rank_hint = min(known.rank_hint, position)

    def add_page(self, answer: dict, source: str, offset: int) -> int:
        results = answer.get("results") or []
        for i, result in enumerate(results):
            self.add(result, source, offset + i)
        return len(results)


def date_fields(media_type: str) -> str:
    return "primary_release_date" if media_type == MOVIE else "first_air_date"


def plans(seed: ResolvedSeed, mode: str, today: date) -> list[tuple[str, str, dict, int]]:
    """(source, method, params, pages) for each list this seed and mode ask TMDB for."""
    genres = [str(g) for g in seed.genre_ids]
    dates = date_fields(seed.media_type)
    if mode == CONTRAST and genres:
        match = {"without_genres": ",".join(genres)}
    elif genres:
        match = {"with_genres": "|".join(genres)}
    else:
        match = {}
    upcoming_window = {f"{dates}.gte": (today + timedelta(days=1)).isoformat(),
                       f"{dates}.lte": (today + timedelta(days=UPCOMING_HORIZON_DAYS)).isoformat()}
    graph_pages = 1 if mode == CONTRAST else GRAPH_PAGES
    return [
        ("recommendations", "recommendations", {}, graph_pages),
        ("similar", "similar", {}, graph_pages),
        ("discover", "discover", {**match, "vote_count.gte": MIN_VOTES,
                                  f"{dates}.lte": today.isoformat(),
                                  "sort_by": "vote_average.desc" if mode == CONTRAST
                                  else "popularity.desc"}, DISCOVER_PAGES),
        ("upcoming", "discover", {**match, **upcoming_window, "sort_by": "popularity.desc"},
         UPCOMING_PAGES),
    ]


def gather(tmdb, seed: ResolvedSeed, mode: str, today: date, errors: tuple) -> Pools:
    """Ask every planned list, page by page; stop a list at its last page or first failure."""
    pools = Pools()
    for source, method, params, pages in plans(seed, mode, today):
        offset = 0
        for page in range(1, pages + 1):
            try:
                if method == "discover":
                    answer = tmdb.discover(seed.media_type, page=page, **params)
                else:
                    answer = getattr(tmdb, method)(seed.media_type, seed.tmdb_id, page)
            except errors as exc:
                pools.problems.append(f"{source} page {page}: {exc}")
                break
            offset += pools.add_page(answer, source, offset)
            if page >= int(answer.get("total_pages") or 1):
                break
    return pools
