"""Our sessions read the proxy variables once per host and still honour them exactly as
requests does (requests.Session.merge_environment_settings, requests 2.x sessions.py)."""

import pytest
import requests

from vault.clients import http

URLS = ("http://plex.lan:32400/library/sections", "https://api.themoviedb.org/3/movie/1",
        "http://127.0.0.1:7878/api/v3/movie", "https://plex.tv/api/v2/user")


@pytest.fixture
def environment(monkeypatch):
    http._environment.clear()
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "ALL_PROXY", "REQUESTS_CA_BUNDLE",
                 "CURL_CA_BUNDLE", "http_proxy", "https_proxy", "no_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    yield monkeypatch
    http._environment.clear()


@pytest.mark.parametrize("env", [
    {},
    {"HTTP_PROXY": "http://proxy.lan:3128", "HTTPS_PROXY": "http://proxy.lan:3129"},
    {"HTTPS_PROXY": "http://proxy.lan:3129", "NO_PROXY": "plex.tv,127.0.0.1"},
    {"ALL_PROXY": "socks5://proxy.lan:1080", "NO_PROXY": "*"},
    {"REQUESTS_CA_BUNDLE": "/etc/ssl/private-ca.pem"},
    {"CURL_CA_BUNDLE": "/etc/ssl/curl-ca.pem", "http_proxy": "http://lower.lan:8080"},
])
def test_merged_settings_are_what_requests_itself_gives(environment, env):
    for name, value in env.items():
        environment.setenv(name, value)
    ours = http.PooledSession()
    theirs = requests.Session()
    for url in URLS:
        for verify in (None, True, False, "/mine.pem"):
            for _ in range(2):  # the second answer comes from what was kept
                assert ours.merge_environment_settings(url, {}, None, verify, None) == \
                    theirs.merge_environment_settings(url, {}, None, verify, None)
    assert ours.merge_environment_settings(URLS[0], {"no_proxy": "plex.lan"}, None, None,
                                           None) == theirs.merge_environment_settings(
        URLS[0], {"no_proxy": "plex.lan"}, None, None, None)


def test_the_environment_is_read_once_per_host(environment):
    calls = []
    real = requests.utils.get_environ_proxies

    def counted(url, no_proxy=None):
        calls.append(url)
        return real(url, no_proxy=no_proxy)

    environment.setattr(requests.utils, "get_environ_proxies", counted)
    session = http.PooledSession()
    for _ in range(50):
        session.merge_environment_settings(URLS[0], {}, None, None, None)
        session.merge_environment_settings(URLS[1], {}, None, None, None)
    assert len(calls) == 2


def test_a_session_that_does_not_trust_the_environment_ignores_it(environment):
    environment.setenv("HTTPS_PROXY", "http://proxy.lan:3129")
    session = http.PooledSession()
    session.trust_env = False
    assert session.merge_environment_settings(URLS[1], {}, None, None, None)["proxies"] == {}
