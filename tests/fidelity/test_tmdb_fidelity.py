"""The real, unpatched tmdbv3api 1.10.0 against the TMDB double.

tmdbv3api keeps its settings in environment variables and assigns `self._base` in
`TMDb.__init__`, so a plain class attribute is shadowed by every instance. The one override
point that reaches every object, including the Search/Find ones the library builds itself, is a
data descriptor on the TMDb class (`BaseOverride` below); the app does the same, once, from a
setting.
"""

import io
import time

import pytest
import requests
from PIL import Image
from tmdbv3api import TV, Discover, Find, Genre, Movie, Search, TMDb
from tmdbv3api.exceptions import TMDbException

from tests.fakes.catalog import Catalog
from tests.fakes.tmdb import TmdbDouble

KEY = "tmdb-key"
TMDB_ENV = ("TMDB_API_KEY", "TMDB_CACHE_ENABLED", "TMDB_WAIT_ON_RATE_LIMIT", "TMDB_LANGUAGE",
            "page", "total_pages", "total_results")


class BaseOverride:
    """Class-level `_base` that instance assignment in TMDb.__init__ cannot shadow."""

    def __init__(self, url: str):
        self.url = url

    def __get__(self, obj, owner=None):
        return self.url

    def __set__(self, obj, value):
        pass  # TMDb.__init__ writes the hard-coded https://api.themoviedb.org/3 here


@pytest.fixture(scope="module")
def catalog():
    return Catalog(n_movies=400, n_shows=80)


@pytest.fixture(scope="module")
def double(catalog):
    server = TmdbDouble(catalog, api_key=KEY).start()
    yield server
    server.stop()


@pytest.fixture
def tmdb(double, monkeypatch):
    """tmdbv3api pointed at the double, cache off, its global environment restored after."""
    for name in TMDB_ENV:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(TMDb, "_base", BaseOverride(double.base), raising=False)
    settings = TMDb()
    settings.api_key = KEY
    settings.cache = False
    settings.wait_on_rate_limit = True
    double.clear()
    double.rate_limit_headers = False
    return double


def test_tmdb_plain_class_attribute_is_shadowed_by_init(monkeypatch, double):
    monkeypatch.setattr(TMDb, "_base", double.base, raising=False)

    assert Movie()._base == "https://api.themoviedb.org/3"


def test_tmdb_override_reaches_objects_the_library_creates(tmdb, catalog):
    movie = catalog.movies[0]

    with pytest.warns(DeprecationWarning):
        found = Movie().search(movie.title)  # builds a Search() internally

    assert movie.tmdb_id in [r.id for r in found]
    assert tmdb.count("GET", r"^/3/search/movie$") == 1


def test_tmdb_requests_carry_key_and_language_in_query(tmdb, catalog):
    Movie().external_ids(catalog.movies[0].tmdb_id)

    sent = tmdb.requests[-1]
    assert (sent.query["api_key"], sent.query["language"]) == (KEY, "en-US")


def test_search_movies_matches_words_and_year(tmdb, catalog):
    movie = next(m for m in catalog.movies if m.title.startswith("The "))

    found = Search().movies(movie.title.removeprefix("The ").lower(), year=movie.year)

    assert found[0].id == movie.tmdb_id
    assert all(r.release_date[:4] == str(movie.year) for r in found)
    assert set(found[0]._dict()) >= {"id", "title", "release_date", "overview", "poster_path",
                                     "genre_ids", "popularity", "vote_average", "vote_count",
                                     "original_language"}


def test_search_tv_shows_filters_by_first_air_year(tmdb, catalog):
    show = catalog.shows[3]

    found = Search().tv_shows(show.title, release_year=show.year)

    assert show.tmdb_id in [r.id for r in found]
    assert {r.first_air_date[:4] for r in found} == {str(show.year)}
    assert found[0].origin_country and found[0].name


def test_search_with_no_match_is_an_empty_page(tmdb):
    found = Search().movies("zzzz qqqq")

    assert (len(found), TMDb().total_results, TMDb().total_pages) == (0, "0", "1")


def test_movie_details_carry_named_genres_and_appended_external_ids(tmdb, catalog):
    movie = catalog.movies[7]

    details = Movie().details(movie.tmdb_id, append_to_response="external_ids")

    assert [g.id for g in details.genres] == movie.genre_ids
    assert (details.runtime, details.imdb_id, details.external_ids.imdb_id) == \
        (movie.runtime_minutes, movie.imdb_id, movie.imdb_id)
    assert details.status in ("Released", "Post Production")


def test_movie_details_default_appends_are_answered(tmdb, catalog):
    details = Movie().details(catalog.movies[1].tmdb_id)

    assert list(details.videos.results) == []
    assert list(details.release_dates.results) == []


def test_tv_details_carry_seasons_and_tvdb_id(tmdb, catalog):
    show = catalog.shows[2]

    details = TV().details(show.tmdb_id, append_to_response="external_ids")

    assert details.number_of_seasons == show.seasons
    assert [s.season_number for s in details.seasons] == list(range(1, show.seasons + 1))
    assert details.external_ids.tvdb_id == show.tvdb_id


def test_movie_recommendations_and_similar_follow_the_catalog_graph(tmdb, catalog):
    movie = catalog.movies[11]

    recommended = Movie().recommendations(movie.tmdb_id)
    similar = Movie().similar(movie.tmdb_id)

    assert [r.id for r in recommended] == movie.recommendations
    assert [r.id for r in similar] == movie.similar
    assert recommended[0].media_type == "movie"


def test_tv_recommendations_and_similar_follow_the_catalog_graph(tmdb, catalog):
    show = catalog.shows[5]

    assert [r.id for r in TV().recommendations(show.tmdb_id)] == show.recommendations
    assert [r.id for r in TV().similar(show.tmdb_id)] == show.similar


def test_external_ids_give_imdb_and_tvdb(tmdb, catalog):
    movie, show = catalog.movies[4], catalog.shows[4]

    assert Movie().external_ids(movie.tmdb_id).imdb_id == movie.imdb_id
    assert TV().external_ids(show.tmdb_id).tvdb_id == show.tvdb_id


def test_discover_movies_pipe_means_any_comma_means_all(tmdb, catalog):
    any_of = Discover().discover_movies({"with_genres": "28|18"})
    all_of = Discover().discover_movies({"with_genres": "28,18"})

    assert all({28, 18} & set(r.genre_ids) for r in any_of)
    assert all({28, 18} <= set(r.genre_ids) for r in all_of)
    assert len(all_of) < len(any_of)


def test_discover_movies_excludes_genres_and_applies_vote_floors(tmdb):
    found = Discover().discover_movies({"without_genres": "27,53", "vote_count.gte": 50,
                                        "vote_average.gte": 6.5,
                                        "sort_by": "vote_average.desc"})

    averages = [r.vote_average for r in found]
    assert found and averages == sorted(averages, reverse=True)
    assert all(not {27, 53} & set(r.genre_ids) and r.vote_count >= 50 for r in found)


def test_discover_movies_release_window_sorted_ascending(tmdb):
    found = Discover().discover_movies({"primary_release_date.gte": "1990-01-01",
                                        "primary_release_date.lte": "1999-12-31",
                                        "sort_by": "primary_release_date.asc"})

    dates = [r.release_date for r in found]
    assert dates and dates == sorted(dates)
    assert all("1990-01-01" <= d <= "1999-12-31" for d in dates)


def test_discover_tv_first_air_window_and_totals(tmdb):
    found = Discover().discover_tv_shows({"first_air_date.gte": "2000-01-01", "page": 2})

    assert all(r.first_air_date >= "2000-01-01" for r in found)
    assert int(TMDb().page) == 2
    assert int(TMDb().total_pages) == -(-int(TMDb().total_results) // 20)


def test_find_by_imdb_and_tvdb_ids(tmdb, catalog):
    movie, show = catalog.movies[9], catalog.shows[9]

    by_imdb = Find().find_by_imdb_id(movie.imdb_id)
    by_tvdb = Find().find_by_tvdb_id(str(show.tvdb_id))

    assert [r.id for r in by_imdb.movie_results] == [movie.tmdb_id]
    assert [r.id for r in by_tvdb.tv_results] == [show.tmdb_id]
    assert list(Find().find_by_imdb_id("tt0000001").movie_results) == []


def test_genre_lists_name_every_genre(tmdb):
    assert {g.name for g in Genre().movie_list()} >= {"Action", "Science Fiction"}
    assert {g.name for g in Genre().tv_list()} >= {"Sci-Fi & Fantasy", "Kids"}


def test_configuration_points_posters_at_the_double(tmdb, catalog):
    base = requests.get(f"{tmdb.base}/configuration", params={"api_key": KEY}).json()
    url = f"{base['images']['secure_base_url']}w500{catalog.movies[0].poster_path}"

    poster = requests.get(url, timeout=5)

    assert Image.open(io.BytesIO(poster.content)).format == "JPEG"


def test_invalid_key_raises_with_tmdb_message(tmdb, catalog):
    TMDb().api_key = "wrong"

    with pytest.raises(TMDbException, match="Invalid API key"):
        Movie().details(catalog.movies[0].tmdb_id)
    assert tmdb.requests[-1].query["api_key"] == "wrong"


def test_unknown_id_raises_not_found_message(tmdb):
    with pytest.raises(TMDbException, match="could not be found"):
        Movie().details(1)


def test_page_past_500_raises_invalid_page(tmdb):
    with pytest.raises(TMDbException, match="Invalid page"):
        Discover().discover_movies({"page": 501})


def test_rate_limit_exhaustion_raises_when_not_waiting(tmdb, catalog):
    tmdb.rate_limit_headers, tmdb.rate_limit, tmdb.rate_window = True, 2, 30.0
    TMDb().wait_on_rate_limit = False
    movie = Movie()

    movie.external_ids(catalog.movies[0].tmdb_id)
    with pytest.raises(TMDbException, match="Rate limit reached"):
        movie.external_ids(catalog.movies[0].tmdb_id)


def test_rate_limit_makes_the_library_sleep_then_repeat(tmdb, catalog):
    tmdb.rate_limit_headers, tmdb.rate_limit, tmdb.rate_window = True, 2, 1.0
    movie = Movie()
    started = time.monotonic()

    movie.external_ids(catalog.movies[0].tmdb_id)
    ids = movie.external_ids(catalog.movies[1].tmdb_id)  # spends the last call: sleeps, repeats

    assert ids.imdb_id == catalog.movies[1].imdb_id
    assert tmdb.count("GET", "external_ids") == 3
    assert time.monotonic() - started >= 0.3


def test_discover_pages_cover_every_result_exactly_once(tmdb):
    first = Discover().discover_movies({"with_genres": "18", "page": 1})
    pages = int(TMDb().total_pages)
    total = int(TMDb().total_results)

    ids = [r.id for r in first]
    for page in range(2, pages + 1):
        ids += [r.id for r in Discover().discover_movies({"with_genres": "18", "page": page})]

    assert pages > 1
    assert len(ids) == len(set(ids)) == total
