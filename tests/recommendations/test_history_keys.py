"""Fresh Out's history read (recommendations.datasets.watched.history_keys) sends the requests
plexapi's PlexServer.history sends and finds the keys plexapi's objects give, against the Plex
double's /status/sessions/history/all: paged past one page, episodes named by their show,
a time window, and a server that gives no totals."""

import os

os.environ.setdefault("PLEXAPI_CONFIG_PATH", os.devnull)

from datetime import datetime, timedelta  # noqa: E402
from types import SimpleNamespace  # noqa: E402

import pytest  # noqa: E402
from plexapi.server import PlexServer  # noqa: E402

from recommendations.datasets.watched import (  # noqa: E402
    history_keys,
    history_rating_keys,
    viewer_history,
)
from tests.fakes.catalog import Catalog  # noqa: E402
from tests.fakes.plex.server import PlexServerDouble  # noqa: E402

TOKEN = "plex-token"
BEA = SimpleNamespace(account_id=2)
NOW = int(datetime(2026, 11, 1).timestamp())


@pytest.fixture(scope="module")
def plex():
    double = PlexServerDouble(Catalog(n_movies=600, n_shows=12, seed=5), token=TOKEN).start()
    library = double.library
    movies = [library.items[k] for k in library.sections[1].top][:260]
    for n, movie in enumerate(movies):  # 260 plays: three pages of plexapi's 100
        double.add_history(BEA.account_id, movie.rating_key, viewed_at=NOW - n * 3600)
    double.add_history(3, movies[0].rating_key, viewed_at=NOW)  # Cy's: not Bea's
    shows = [library.items[k] for k in library.sections[2].top][:3]
    for show in shows:
        for episode in library.leaves(show)[:4]:
            double.add_history(BEA.account_id, episode.rating_key, viewed_at=NOW)
    yield double
    double.stop()


def _both(plex, section: int, since=None):
    library = SimpleNamespace(key=str(section))
    plex.clear()
    ours = history_keys(PlexServer(plex.url, TOKEN), BEA, library, since=since)
    sent_ours = [(r.method, r.path, r.query, r.headers.get("x-plex-container-start"),
                  r.headers.get("x-plex-container-size")) for r in plex.requests]
    plex.clear()
    theirs = history_rating_keys(viewer_history(PlexServer(plex.url, TOKEN), BEA, library,
                                                since=since))
    sent_theirs = [(r.method, r.path, r.query, r.headers.get("x-plex-container-start"),
                    r.headers.get("x-plex-container-size")) for r in plex.requests]
    history = [s for s in sent_theirs if "history" in s[1]]
    return ours, theirs, [s for s in sent_ours if "history" in s[1]], history


def test_paged_movie_history_gives_plexapis_keys_from_plexapis_requests(plex):
    ours, theirs, sent_ours, sent_theirs = _both(plex, 1)

    assert len(ours) == 260 and ours == theirs
    assert sent_ours == sent_theirs and len(sent_ours) == 3


def test_episodes_are_named_by_their_show(plex):
    ours, theirs, sent_ours, sent_theirs = _both(plex, 2)

    shows = set(plex.library.sections[2].top[:3])
    assert ours == theirs == shows and sent_ours == sent_theirs


def test_a_window_and_a_server_without_totals_read_the_same(plex):
    since = datetime.fromtimestamp(NOW) - timedelta(hours=99.5)
    plex.omit_totals = True
    try:
        ours, theirs, sent_ours, sent_theirs = _both(plex, 1, since=since)
    finally:
        plex.omit_totals = False

    assert len(ours) == 100 and ours == theirs and sent_ours == sent_theirs
