from types import SimpleNamespace

import pytest

from recommendations.datasets.watched import history_rating_keys, watched_tmdb_ids
from recommendations.engine.seeds import parse_guids, seed_from_guids


@pytest.mark.parametrize(("guids", "ids"), [
    (["plex://movie/5d77", "imdb://tt0113277", "tmdb://949"],
     {"imdb_id": "tt0113277", "tmdb_id": 949}),
    (["com.plexapp.agents.imdb://tt0113277?lang=en"], {"imdb_id": "tt0113277"}),
    (["com.plexapp.agents.themoviedb://949?lang=en"], {"tmdb_id": 949}),
    (["com.plexapp.agents.thetvdb://81189/1/2?lang=en"], {"tvdb_id": 81189}),
    (["tvdb://81189", "tvdb://1"], {"tvdb_id": 81189}),
    (["imdb://nonsense", "local://12"], {}),
])
def test_parse_guids_reads_modern_and_legacy_agents(guids, ids):
    assert parse_guids(guids) == ids


def test_seed_from_guids_keeps_title_year_and_rating_key():
    seed = seed_from_guids("Heat", 1995, ["tmdb://949"], rating_key=12)

    assert (seed.title, seed.year, seed.tmdb_id, seed.rating_key) == ("Heat", 1995, 949, 12)


def test_history_rating_keys_maps_episodes_to_their_show():
    entries = [SimpleNamespace(type="movie", ratingKey="10"),
               SimpleNamespace(type="episode", ratingKey="99", grandparentRatingKey="20"),
               SimpleNamespace(type="movie", ratingKey=None)]

    assert history_rating_keys(entries) == {10, 20}


def test_watched_tmdb_ids_uses_the_library_mirror(library):
    from vault.models import PlexItem

    PlexItem.objects.create(library=library, rating_key=10, kind="movie", title="A", tmdb_id=5)
    PlexItem.objects.create(library=library, rating_key=11, kind="movie", title="B")

    found = watched_tmdb_ids(library, [SimpleNamespace(type="movie", ratingKey=10),
                                       SimpleNamespace(type="movie", ratingKey=11)])

    assert found == {5}
