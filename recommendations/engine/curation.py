"""OpenAI picks the final titles from ranked candidates; Google widens the candidate pool.

OpenAI gets a structured-output request per bucket ("exactly N", candidates as
`[id:1234] Title (Year)`), so the released/upcoming mix holds whatever it picks. Every id it
returns is checked against the candidates offered; any doubt raises CurationFailed and the
engine keeps its own ranking. The call itself and its failure reasons live in
vault.clients.openai_api; the schema stays here, beside the prompt that asks for it.
"""

from __future__ import annotations

import re

import pydantic

from recommendations.types import CONTRAST, MOVIE, Candidate, ResolvedSeed
from vault.clients import openai_api
from vault.clients.errors import AnswerError

SHORTLIST_MIN, SHORTLIST_FACTOR, SHORTLIST_MAX = 20, 3, 80
IMDB_TITLE = re.compile(r"imdb\.com/title/(tt\d+)")
GOOGLE_RESULTS = 10
SYSTEM = "You are a film and TV curator. Answer with JSON only."


class CuratedPick(pydantic.BaseModel):
    id: int
    reason: str


class CuratedPicks(pydantic.BaseModel):
    picks: list[CuratedPick]


class CurationFailed(Exception):
    """OpenAI's answer cannot be used; the message is the report's reason."""


def shortlist_size(k: int) -> int:
    return min(SHORTLIST_MAX, max(SHORTLIST_MIN, SHORTLIST_FACTOR * k))


def prompt(seed: ResolvedSeed, mode: str, bucket: str, k: int,
           candidates: list[Candidate]) -> str:
    kind = "movies" if seed.media_type == MOVIE else "TV shows"
    genres = ", ".join(seed.genres) or "unknown genres"
    if mode == CONTRAST:
        goal = (f"Suggest a deliberate change of taste: {kind} that feel different from it "
                f"(other genres, eras or moods) but that this viewer could still love.")
    else:
        goal = f"Suggest {kind} this viewer will most likely want to watch next."
    lines = "\n".join(f"[id:{c.tmdb_id}] {c.title} ({c.year or 'unknown year'})"
                      for c in candidates)
    return (f"The viewer just watched {seed.title} ({seed.year or 'unknown year'}; {genres}). "
            f"{goal}\nChoose exactly {k} {bucket} titles from the candidates below, best "
            f"first, each with a one-line reason. Use only ids from this list.\n{lines}")


def ask(client, model: str, text: str) -> CuratedPicks:
    messages = [{"role": "system", "content": SYSTEM}, {"role": "user", "content": text}]
    try:
        return openai_api.structured(client, model, messages, CuratedPicks)
    except AnswerError as exc:  # its text is the short reason the report shows
        raise CurationFailed(str(exc)) from exc


def validate(parsed: CuratedPicks, k: int, offered: list[Candidate]) -> list[tuple[int, str]]:
    ids = {c.tmdb_id for c in offered}
    picks = [(p.id, p.reason) for p in parsed.picks]
    unknown = [i for i, _ in picks if i not in ids]
    if unknown:
        raise CurationFailed(f"unknown ids {unknown[:5]}")
    if len({i for i, _ in picks}) != len(picks):
        raise CurationFailed("repeated ids")
    if len(picks) != k:
        raise CurationFailed(f"wrong count (got {len(picks)}, wanted {k})")
    return picks


def curate(client, model: str, seed: ResolvedSeed, mode: str, bucket: str, k: int,
           ranked: list[Candidate]) -> list[tuple[int, str]]:
    """[(tmdb id, reason)] for exactly k of the top ranked candidates."""
    offered = ranked[:shortlist_size(k)]
    parsed = ask(client, model, prompt(seed, mode, bucket, k, offered))
    return validate(parsed, k, offered)


def google_query(seed: ResolvedSeed) -> str:
    kind = "movies" if seed.media_type == MOVIE else "tv shows"
    return f"{kind} like {seed.title} {seed.year or ''}".strip()


def imdb_ids(items: list[dict]) -> list[str]:
    """IMDb title ids from web results, in order, once each (lists and other pages dropped)."""
    seen: list[str] = []
    for item in items:
        found = IMDB_TITLE.search(item.get("link") or "")
        if found and found[1] not in seen:
            seen.append(found[1])
    return seen


def web_candidates(google, tmdb, seed: ResolvedSeed) -> tuple[list[dict], int]:
    """TMDB results for titles the web mentions alongside the seed; and the result count."""
    items = google.titles(google_query(seed), num=GOOGLE_RESULTS)
    key = "movie_results" if seed.media_type == MOVIE else "tv_results"
    found = []
    for imdb_id in imdb_ids(items):
        results = tmdb.find(imdb_id, "imdb_id").get(key) or []
        found.extend(results[:1])
    return found, len(items)
