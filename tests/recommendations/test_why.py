"""The one-line "why" of a pick: opening per mode, source or OpenAI reason, genres, release."""

from recommendations.engine.why import MAX_GENRES, source_label, why
from recommendations.types import CONTRAST, RELEASED, SIMILAR, UPCOMING, Candidate, ResolvedSeed

CRIME, THRILLER, DRAMA, COMEDY, ACTION, WESTERN = 80, 53, 18, 35, 28, 37


def make_seed(genre_ids=(CRIME, THRILLER), title="Heat") -> ResolvedSeed:
    return ResolvedSeed(tmdb_id=949, media_type="movie", title=title, year=1995,
                        release_date="1995-12-15", genre_ids=list(genre_ids), genres=[],
                        vote_average=7.9, vote_count=7000, resolved_by="tmdb guid")


def make_candidate(genre_ids=(CRIME, THRILLER), sources=("recommendations",),
                   bucket=RELEASED, release_date="2001-02-03") -> Candidate:
    return Candidate(tmdb_id=1, title="Ronin", release_date=release_date,
                     genre_ids=list(genre_ids), vote_average=7.0, vote_count=100,
                     popularity=1.0, poster_path=None, sources=list(sources), bucket=bucket)


def test_why_similar_names_seed_source_and_shared_genres():
    text = why(make_candidate(genre_ids=(DRAMA, CRIME, THRILLER)), make_seed(), SIMILAR, "movie")

    assert text == "Because you watched Heat · TMDB recommends · crime, thriller"


def test_why_similar_without_shared_genres_uses_the_candidates_own():
    text = why(make_candidate(genre_ids=(COMEDY,)), make_seed(), SIMILAR, "movie")

    assert text == "Because you watched Heat · TMDB recommends · comedy"


def test_why_contrast_opens_with_a_change_and_keeps_candidate_genres():
    text = why(make_candidate(genre_ids=(COMEDY, CRIME), sources=("discover",)), make_seed(),
               CONTRAST, "movie")

    assert text == "A change from Heat · TMDB discover · comedy, crime"


def test_why_openai_reason_replaces_the_source_label():
    text = why(make_candidate(), make_seed(), SIMILAR, "movie", reason="  same slow-burn heist ")

    assert text == "Because you watched Heat · OpenAI: same slow-burn heist · crime, thriller"


def test_why_upcoming_title_names_its_release_date():
    candidate = make_candidate(sources=("upcoming",), bucket=UPCOMING,
                               release_date="2031-05-01")

    text = why(candidate, make_seed(), SIMILAR, "movie")

    assert text == "Because you watched Heat · TMDB upcoming · crime, thriller · out 2031-05-01"


def test_why_upcoming_without_a_date_says_nothing_about_release():
    candidate = make_candidate(bucket=UPCOMING, release_date=None)

    assert why(candidate, make_seed(), SIMILAR, "movie").endswith("crime, thriller")


def test_why_empty_genre_lists_leave_genres_out():
    text = why(make_candidate(genre_ids=()), make_seed(genre_ids=()), SIMILAR, "movie")

    assert text == "Because you watched Heat · TMDB recommends"


def test_why_unknown_genre_ids_leave_genres_out():
    text = why(make_candidate(genre_ids=(999_999,)), make_seed(), CONTRAST, "movie")

    assert text == "A change from Heat · TMDB recommends"


def test_why_long_genre_list_is_trimmed_in_order():
    ids = (ACTION, CRIME, DRAMA, THRILLER, WESTERN, COMEDY)

    text = why(make_candidate(genre_ids=ids), make_seed(genre_ids=ids), SIMILAR, "movie")

    assert MAX_GENRES == 3
    assert text == "Because you watched Heat · TMDB recommends · action, crime, drama"


def test_why_show_uses_tv_genre_names():
    text = why(make_candidate(genre_ids=(10765,)), make_seed(genre_ids=()), SIMILAR, "show")

    assert text.endswith("· sci-fi & fantasy")


def test_source_label_prefers_recommendations_over_later_sources():
    assert source_label(["google", "similar", "recommendations"]) == "TMDB recommends"
    assert source_label(["upcoming", "google"]) == "found on the web"


def test_source_label_unknown_or_no_source_is_plain_tmdb():
    assert source_label([]) == "TMDB"
    assert source_label(["openai"]) == "TMDB"
