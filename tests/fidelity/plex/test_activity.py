"""plexapi on the Plex double's sessions, watch history and accounts."""

import time
from datetime import UTC, datetime, timedelta

from tests.fakes.plex.accounts import OWNER_PLEXTV_ID


# sessions, history, accounts -------------------------------------------------------------------
def test_sessions_carry_user_player_and_session(server, all_movies, plex):
    plex.clear_sessions()
    movie = all_movies[3]
    key = plex.set_session(2, movie.ratingKey, 60_000, state="paused")

    playing = server.sessions()

    assert [(s.ratingKey, s.sessionKey, s.viewOffset, s.usernames) for s in playing] == [
        (movie.ratingKey, key, 60_000, ["Bea"])]
    player, session = playing[0].player, playing[0].session
    assert (player.state, player.title, bool(player.machineIdentifier)) == (
        "paused", "Bea's iPhone", True)
    assert session.id and playing[0].librarySectionID == 1 and playing[0].duration


def test_episode_session_has_grandparent_fields_and_ends(server, plex):
    plex.clear_sessions()
    show = server.library.sectionByID(2).all(maxresults=1)[0]
    episode = show.episodes()[0]
    key = plex.set_session(1, episode.ratingKey, 1_000)

    playing = server.sessions()[0]
    plex.end_session(key)

    assert (playing.grandparentTitle, playing.grandparentRatingKey, playing.parentIndex,
            playing.index, playing.TYPE) == (show.title, show.ratingKey, 1, 1, "episode")
    assert server.sessions() == []


def test_session_user_resolves_through_plextv(server, all_movies, plex):
    plex.clear_sessions()
    plex.set_session(3, all_movies[4].ratingKey, 5_000)
    plex.set_session(1, all_movies[5].ratingKey, 5_000)

    users = {s.ratingKey: s.user for s in server.sessions()}

    assert users[all_movies[4].ratingKey].id == 3
    assert users[all_movies[5].ratingKey].id == OWNER_PLEXTV_ID
    plex.clear_sessions()


def test_history_filters_by_account_and_mindate(server, all_movies, plex):
    now = int(time.time())
    old = plex.add_history(2, all_movies[6].ratingKey, viewed_at=now - 30 * 86400)
    recent = [plex.add_history(2, m.ratingKey, viewed_at=now - n) for n, m in
              enumerate(all_movies[7:10])]
    plex.add_history(3, all_movies[10].ratingKey, viewed_at=now)

    rows = server.history(accountID=2, mindate=datetime.now(UTC) - timedelta(days=7))

    assert [r.historyKey for r in rows] == [f"/status/sessions/history/{h}" for h in recent]
    assert {r.accountID for r in rows} == {2} and old not in recent
    assert rows[0].viewedAt > rows[-1].viewedAt
    assert plex.requests[-1].query["viewedAt>"] and plex.requests[-1].query["accountID"] == "2"


def test_history_of_episodes_names_the_show_by_key(server, plex):
    episode = server.library.sectionByID(2).all(maxresults=1)[0].episodes()[0]
    plex.add_history(4, episode.ratingKey)

    row = server.history(accountID=4, maxresults=1)[0]

    assert (row.grandparentKey, row.parentIndex, row.index) == (episode.grandparentKey, 1, 1)
    assert row.grandparentRatingKey is None  # a real server leaves it out of history rows


def test_system_accounts_match_plextv_users(server, plex):
    accounts = {a.id: a.name for a in server.systemAccounts()}
    users = {u.id: u.title for u in server.myPlexAccount().users()}

    assert accounts == {0: "", 1: "Ava Owner", 2: "Bea", 3: "Cy", 4: "Kiddo"}
    assert users == {2: "Bea", 3: "Cy", 4: "Kiddo"}
