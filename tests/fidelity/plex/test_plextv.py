"""plexapi on the plex.tv double: account, users, resources and PIN sign-in."""

import pytest
from plexapi.exceptions import BadRequest, Unauthorized
from plexapi.myplex import MyPlexAccount, MyPlexPinLogin
from plexapi.server import PlexServer

from tests.fakes.plex.accounts import OWNER_PLEXTV_ID
from tests.fidelity.plex.support import TOKEN, PlexTvSession


# plex.tv ---------------------------------------------------------------------------------------
def test_my_plex_account_and_users_through_the_session(doubles, plextv):
    account = MyPlexAccount(token=TOKEN, session=PlexTvSession(plextv.url))

    users = account.users()

    assert (account.id, account.username, account.title, account.subscriptionActive) == (
        OWNER_PLEXTV_ID, "avaowner", "Ava Owner", True)
    kiddo = next(u for u in users if u.title == "Kiddo")
    assert (kiddo.home, kiddo.username, kiddo.restricted) == (True, "", "1")
    assert {s.machineIdentifier for u in users for s in u.servers} == {
        doubles[0].machine_identifier}
    assert [r.path for r in plextv.requests] == ["/api/v2/user", "/api/users/"]


def test_plextv_with_wrong_token_raises_unauthorized(plextv):
    with pytest.raises(Unauthorized):
        MyPlexAccount(token="nope", session=PlexTvSession(plextv.url))


def test_resources_offer_the_server_with_local_and_relay_connections(doubles, plextv):
    plex = doubles[0]
    account = MyPlexAccount(token=TOKEN, session=PlexTvSession(plextv.url))

    servers = [r for r in account.resources() if "server" in r.provides]
    local = servers[0].preferred_connections(locations=["local"])

    assert [(s.clientIdentifier, s.owned, s.accessToken) for s in servers] == [
        (plex.machine_identifier, True, TOKEN)]
    assert [(c.local, c.relay) for c in servers[0].connections] == [(True, False), (False, True)]
    assert PlexServer(local[0], servers[0].accessToken).machineIdentifier == \
        plex.machine_identifier


def test_pin_login_oauth_reaches_a_token(plextv):
    login = MyPlexPinLogin(oauth=True, session=PlexTvSession(plextv.url))

    url = login.oauthUrl()
    waiting = login.checkLogin()
    plextv.authorize_pin(plextv.last_pin().id)
    done = login.checkLogin()

    assert "code=" + plextv.last_pin().code in url and plextv.requests[0].query == {
        "strong": "True"}
    assert (waiting, done, login.token) == (False, True, TOKEN)


def test_pin_login_without_oauth_gets_a_four_character_code(plextv):
    login = MyPlexPinLogin(session=PlexTvSession(plextv.url))

    code = login.pin

    assert len(code) == 4 and code == plextv.last_pin().code
    assert plextv.requests[-1].query == {}


def test_pin_login_thread_finishes_when_plextv_authorizes(plextv):
    plextv.auto_authorize_after = 1
    login = MyPlexPinLogin(oauth=True, session=PlexTvSession(plextv.url))
    try:
        login.run(timeout=10)
        assert login.waitForLogin() is True
    finally:
        plextv.auto_authorize_after = None

    assert login.token == TOKEN


def test_pin_is_only_answered_to_the_client_that_made_it(plextv):
    MyPlexPinLogin(oauth=True, session=PlexTvSession(plextv.url)).oauthUrl()
    pin = plextv.last_pin()

    other = MyPlexPinLogin(oauth=True, session=PlexTvSession(plextv.url),
                           headers={"X-Plex-Client-Identifier": "someone-else"})
    other._id = pin.id

    with pytest.raises(BadRequest):
        other._checkLogin()


def test_plextv_session_leaves_other_hosts_and_real_plextv_alone():
    session = PlexTvSession("http://127.0.0.1:9/")

    assert session.rewrite("https://plex.tv/api/v2/user") == "http://127.0.0.1:9/api/v2/user"
    assert session.rewrite("https://clients.plex.tv/api/v2/pins") == \
        "http://127.0.0.1:9/api/v2/pins"
    assert session.rewrite("http://192.168.1.5:32400/") == "http://192.168.1.5:32400/"
    assert PlexTvSession().rewrite("https://plex.tv/api/v2/user") == \
        "https://plex.tv/api/v2/user"
