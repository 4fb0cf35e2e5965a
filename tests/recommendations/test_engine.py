"""The engine against the TMDB, OpenAI and Google doubles through the real clients."""

from __future__ import annotations

import re

import pytest

from recommendations.engine.pipeline import recommend
from recommendations.types import Seed
from tests.fakes.openai_server import CANDIDATE, COUNT


@pytest.fixture
def seed_movie(catalog):
    """A released movie in Plex with enough released and upcoming neighbours."""
    return next(m for m in catalog.movies if not m.upcoming and m.in_plex)


def seed_of(movie) -> Seed:
    return Seed(title=movie.title, year=movie.year, tmdb_id=movie.tmdb_id)


def double_picks(openai_double) -> list[int]:
    """What the double's contract says it answered: the last N offered ids, reversed."""
    ids = []
    for body in openai_double.chats:
        prompt = body["messages"][-1]["content"]
        offered = [int(i) for i, _ in CANDIDATE.findall(prompt)]
        ids += list(reversed(offered))[:int(COUNT.search(prompt)[1])]
    return ids


def test_recommend_yields_count_with_mix_and_whys(make_inputs, seed_movie):
    result = recommend(make_inputs(), seed_of(seed_movie), "movie", "similar", 10, 25)

    buckets = [p.bucket for p in result.picks]
    assert (len(result.picks), buckets.count("released"), buckets.count("upcoming")) == (10, 7, 3)
    assert all(p.why.startswith(f"Because you watched {seed_movie.title} · ") for p in result.picks)
    assert seed_movie.tmdb_id not in {p.tmdb_id for p in result.picks}


def test_recommend_excludes_watched_and_rejected_titles(make_inputs, seed_movie):
    first = recommend(make_inputs(), seed_of(seed_movie), "movie", "similar", 10, 25)
    watched = {p.tmdb_id for p in first.picks[:4]}
    rejected = {p.tmdb_id for p in first.picks[4:8]}

    again = recommend(make_inputs(watched=watched, rejected=rejected), seed_of(seed_movie),
                      "movie", "similar", 10, 25)

    assert len(again.picks) == 10
    assert not {p.tmdb_id for p in again.picks} & (watched | rejected)


def test_recommend_is_deterministic_without_openai(make_inputs, seed_movie):
    first = recommend(make_inputs(), seed_of(seed_movie), "movie", "similar", 10, 25)
    second = recommend(make_inputs(), seed_of(seed_movie), "movie", "similar", 10, 25)

    assert [p.tmdb_id for p in first.picks] == [p.tmdb_id for p in second.picks]
    assert {k: c.status for k, c in first.breakdown.items()} == \
        {"tmdb": "ok", "openai": "not enabled", "google": "not enabled"}


def test_recommend_pick_carries_metadata_and_plex_key(make_inputs, seed_movie, catalog):
    result = recommend(make_inputs(), seed_of(seed_movie), "movie", "similar", 10, 25)

    for pick in result.picks:
        movie = catalog.get("movie", pick.tmdb_id)
        assert (pick.title, pick.release_date, pick.vote_count, pick.poster_path) == \
            (movie.title, movie.release_date, movie.vote_count, movie.poster_path)
        assert pick.rating_key == (10_000 + movie.tmdb_id if movie.in_plex else None)


def test_recommend_with_openai_uses_the_doubles_picks(make_inputs, seed_movie, openai_pair,
                                                      openai_double):
    result = recommend(make_inputs(openai=openai_pair), seed_of(seed_movie), "movie",
                       "similar", 10, 25)

    assert [p.tmdb_id for p in result.picks] == double_picks(openai_double)
    assert [p.bucket for p in result.picks].count("upcoming") == 3
    assert all(p.chosen_by == "openai" and "· OpenAI: " in p.why for p in result.picks)
    assert result.breakdown["openai"].status == "ok"
    assert result.breakdown["openai"].requests == len(openai_double.chats) == 2


def test_recommend_sends_a_strict_picks_schema(make_inputs, seed_movie, openai_pair,
                                               openai_double):
    recommend(make_inputs(openai=openai_pair), seed_of(seed_movie), "movie", "similar", 10, 25)

    schema = openai_double.last_schema
    assert schema["required"] == ["picks"]
    assert re.search(r"exactly 3 upcoming", openai_double.last_prompt)


@pytest.mark.parametrize(("mode", "reason"), [
    ("garbage", "failed: answer is not the requested JSON"),
    ("wrong_count", "failed: wrong count (got 6, wanted 7)"),
    ("unknown_ids", "failed: unknown ids"),
    ("timeout", "failed: timeout"),
    ("error500", "failed: HTTP 500"),
    ("length", "failed: answer cut off (length)"),
    ("refusal", "failed: the model refused"),
])
def test_recommend_bad_openai_answer_falls_back_to_ranking(make_inputs, seed_movie, openai_pair,
                                                           openai_double, mode, reason):
    plain = recommend(make_inputs(), seed_of(seed_movie), "movie", "similar", 10, 25)
    openai_double.mode = mode

    result = recommend(make_inputs(openai=openai_pair), seed_of(seed_movie), "movie",
                       "similar", 10, 25)

    assert [p.tmdb_id for p in result.picks] == [p.tmdb_id for p in plain.picks]
    assert result.breakdown["openai"].status.startswith(reason)
    assert any("OpenAI answer unusable" in note for note in result.notes)


def test_recommend_openai_skipped_when_there_is_no_choice(make_inputs, seed_movie, openai_pair,
                                                          openai_double):
    result = recommend(make_inputs(openai=openai_pair), seed_of(seed_movie), "movie",
                       "similar", 100, 25)

    assert result.breakdown["openai"].status == "skipped"
    assert openai_double.chats == []


def test_recommend_contrast_avoids_seed_genres(make_inputs, seed_movie, catalog):
    result = recommend(make_inputs(), seed_of(seed_movie), "movie", "contrast", 10, 25)

    assert len(result.picks) == 10
    for pick in result.picks:
        assert not set(catalog.get("movie", pick.tmdb_id).genre_ids) & set(seed_movie.genre_ids)
        assert pick.why.startswith(f"A change from {seed_movie.title} · ")


def test_recommend_google_adds_web_candidates(make_inputs, seed_movie, google_client,
                                              google_double, tmdb_double):
    result = recommend(make_inputs(google=google_client), seed_of(seed_movie),
                       "movie", "similar", 10, 25)

    card = result.breakdown["google"]
    assert card.status == "ok" and card.suggested
    assert tmdb_double.count("GET", r"^/3/find/tt\d+$") == len(card.suggested)
    assert google_double.count("GET", r"^/customsearch/v1$") == 1


def test_recommend_google_skipped_for_change_of_taste(make_inputs, seed_movie, google_client,
                                                      google_double):
    result = recommend(make_inputs(google=google_client), seed_of(seed_movie),
                       "movie", "contrast", 10, 25)

    assert result.breakdown["google"].status == "skipped"
    assert google_double.count() == 0


def test_recommend_google_failure_is_reported_and_run_continues(make_inputs, seed_movie,
                                                                google_client, google_double):
    google_double.quota_exceeded = True

    result = recommend(make_inputs(google=google_client), seed_of(seed_movie),
                       "movie", "similar", 10, 25)

    assert result.breakdown["google"].status.startswith("failed: Google Programmable Search")
    assert len(result.picks) == 10


def test_recommend_resolves_seed_by_title_and_year(make_inputs, seed_movie, tmdb_double):
    result = recommend(make_inputs(), Seed(title=seed_movie.title, year=seed_movie.year),
                       "movie", "similar", 10, 25)

    assert (result.seed.tmdb_id, result.seed.resolved_by) == (seed_movie.tmdb_id, "search")
    assert tmdb_double.count("GET", r"^/3/search/movie$") == 1


def test_recommend_tmdb_guid_skips_search(make_inputs, seed_movie, tmdb_double):
    result = recommend(make_inputs(), seed_of(seed_movie), "movie", "similar", 10, 25)

    assert result.seed.resolved_by == "tmdb guid"
    assert tmdb_double.count("GET", r"^/3/search/") == 0


def test_recommend_resolves_seed_by_imdb_guid(make_inputs, seed_movie):
    result = recommend(make_inputs(), Seed(title="x", imdb_id=seed_movie.imdb_id), "movie",
                       "similar", 10, 25)

    assert (result.seed.tmdb_id, result.seed.resolved_by) == (seed_movie.tmdb_id, "imdb guid")


def test_recommend_show_seed_by_tvdb_gives_tvdb_ids(make_inputs, catalog):
    show = next(s for s in catalog.shows if not s.upcoming)

    result = recommend(make_inputs(), Seed(title=show.title, tvdb_id=show.tvdb_id), "show",
                       "similar", 5, 0)

    assert result.seed.resolved_by == "tvdb guid"
    assert len(result.picks) == 5
    assert [p.tvdb_id for p in result.picks] == \
        [catalog.get("show", p.tmdb_id).tvdb_id for p in result.picks]


def test_recommend_unknown_seed_reports_tmdb_failure(make_inputs):
    result = recommend(make_inputs(), Seed(title="zzzz qqqq", year=1901), "movie", "similar",
                       10, 25)

    assert result.picks == [] and result.seed is None
    assert result.breakdown["tmdb"].status.startswith("failed: TMDB has no movie")


def test_recommend_without_tmdb_is_not_enabled(make_inputs, seed_movie):
    result = recommend(make_inputs(tmdb=None), seed_of(seed_movie), "movie", "similar", 10, 25)

    assert result.breakdown["tmdb"].status == "not enabled" and result.picks == []


def test_recommend_result_is_json_serialisable(make_inputs, seed_movie):
    import json

    result = recommend(make_inputs(), seed_of(seed_movie), "movie", "similar", 10, 25)

    assert json.loads(json.dumps(result.as_dict()))["picks"][0]["why"] == result.picks[0].why
