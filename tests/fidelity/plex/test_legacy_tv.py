"""plexapi on a TheTVDB-agent TV library of the Plex double ("Old TV"): the legacy guids of a
show, its seasons and its episodes, and an episode removed from Plex leaving its season.

The shapes: a captured legacy episode carries guid="com.plexapp.agents.thetvdb://70327/1/1?lang=en",
parentGuid="com.plexapp.agents.thetvdb://70327/1?lang=en" and grandparentGuid
"com.plexapp.agents.thetvdb://70327?lang=en", and no <Guid> children (python-plexapi documents
`guids` as the new agents' tags); trakt/Plex-Trakt-Scrobbler's plex_metadata parses legacy guids
as agent://show/season/episode the same way."""

import pytest
from plexapi.server import PlexServer

from tests.fakes.catalog import Catalog
from tests.fakes.plex.library import LEGACY_SHOWS
from tests.fakes.plex.server import PlexServerDouble
from tests.fidelity.plex.support import TOKEN


@pytest.fixture
def old_tv():
    plex = PlexServerDouble(Catalog(n_movies=20, n_shows=6, seed=77), token=TOKEN,
                            legacy_libraries=True).start()
    yield plex, PlexServer(plex.url, TOKEN).library.sectionByID(LEGACY_SHOWS)
    plex.stop()


def test_legacy_show_season_and_episode_guids_name_the_show_season_and_episode(old_tv):
    _, section = old_tv
    show = section.all()[0]
    season = show.seasons()[0]
    episode = season.episodes()[1]
    tvdb = show.guid.removeprefix("com.plexapp.agents.thetvdb://").removesuffix("?lang=en")

    assert tvdb.isdigit() and show.guids == []
    assert season.guid == f"com.plexapp.agents.thetvdb://{tvdb}/{season.index}?lang=en"
    assert episode.guid == (f"com.plexapp.agents.thetvdb://{tvdb}/{season.index}/"
                            f"{episode.index}?lang=en")
    assert (episode.parentGuid, episode.grandparentGuid) == (season.guid, show.guid)


def test_an_episode_removed_from_plex_leaves_its_season_and_the_last_takes_the_season(old_tv):
    plex, section = old_tv
    show = section.all()[0]
    season = show.seasons()[0]
    episodes = season.episodes()

    plex.remove_item(episodes[0].ratingKey)
    left = [e.ratingKey for e in show.seasons()[0].episodes()]
    for episode in episodes[1:]:
        plex.remove_item(episode.ratingKey)

    assert left == [e.ratingKey for e in episodes[1:]]
    assert season.ratingKey not in [s.ratingKey for s in show.seasons()]
