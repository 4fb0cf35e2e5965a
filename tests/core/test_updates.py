"""The update check against a releases double in GitHub's shape (issue 15 must-show 5): a newer
release shows a badge and a Help line, an equal one "up to date", an unreachable server a
sentence (never an error page), and UPDATE_CHECK_ENABLED=false sends no request at all."""

import threading

import pytest
from django.core.cache import cache
from django.urls import reverse

from immaculaterr import updates
from tests.fakes.releases import ReleasesServer

pytestmark = pytest.mark.django_db
HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def releases(settings):
    server = ReleasesServer(tag="v0.1.0").start()
    settings.UPDATE_CHECK_ENABLED = True
    settings.UPDATE_CHECK_URL = server.latest_url()
    settings.UPDATE_CHECK_TOKEN = ""
    settings.UPDATE_CHECK_TIMEOUT = 1
    keys = (updates.CACHE_KEY, updates.PREVIOUS_KEY, updates.LOCK_KEY)
    cache.delete_many(keys)
    yield server
    cache.delete_many(keys)
    server.stop()


def badge(client) -> str:
    return client.get(reverse("help"), {"part": "badge"}, **HX).content.decode().strip()


def help_line(client) -> str:
    return client.get(reverse("help"), {"part": "update"}, **HX).content.decode()


@pytest.mark.parametrize("tag,running,newer", [
    ("v1.2.3", "1.2.2", True), ("1.2.3", "v1.2.3", False), ("v1.10.0", "1.9.9", True),
    ("v1.2", "1.2.0", False), ("v1.3.0-rc.1", "1.2.9", True), ("v1.3.0-rc.1", "1.3.0", False),
    ("v1.3.0", "1.3.0rc2", True), ("2.0.0-beta.2", "2.0.0-alpha.5", True),
    ("v0.1.0+build.7", "0.1.0", False), ("nightly", "0.1.0", None)])
def test_updates_is_newer_reads_v_prefixes_and_pre_releases(tag, running, newer):
    assert updates.is_newer(tag, running) is newer


def test_updates_newer_release_shows_badge_and_help_line(admin_client, releases):
    releases.tag = "v9.0.0"

    line = help_line(admin_client)
    nav = badge(admin_client)
    page = admin_client.get(reverse("help")).content.decode()

    assert "Version\n  <strong>9.0.0</strong> is out (you run 0.1.0)." in line
    assert 'href="https://github.com/immaculaterr/immaculaterr/releases/tag/v9.0.0"' in line
    assert nav == ('<a class="update-badge" href="/help#update" title="Version 9.0.0 is out">'
                   '9.0.0 available</a>')
    assert "9.0.0</strong> is out" in page  # the full page reads the cache: no waiting
    assert releases.count("GET", "/releases/latest") == 1  # cached for the hour


def test_updates_equal_release_says_up_to_date_and_no_badge(admin_client, releases):
    releases.tag = "v0.1.0"

    line = help_line(admin_client)

    assert "You are up to date: 0.1.0 is the latest release." in line
    assert badge(admin_client) == ""


def test_updates_unreachable_server_gives_a_sentence_not_an_error_page(admin_client, releases,
                                                                       settings):
    settings.UPDATE_CHECK_URL = "http://127.0.0.1:9/repos/immaculaterr/immaculaterr/releases/latest"

    response = admin_client.get(reverse("help"), {"part": "update"}, **HX)
    page = admin_client.get(reverse("help"))

    assert (response.status_code, page.status_code) == (200, 200)
    assert "Could not check for a newer release: The releases server at " \
           "http://127.0.0.1:9 could not be reached." in response.content.decode()
    assert badge(admin_client) == ""


def test_updates_slow_server_is_cut_at_the_timeout(admin_client, releases):
    releases.fault(delay=2.0, count=None)

    line = help_line(admin_client)

    assert f"The releases server at {releases.url} did not answer within 1 seconds." in line


def test_updates_no_release_yet_says_so(admin_client, releases):
    releases.tag = None

    assert "has no published release at that address (404)." in help_line(admin_client)


def test_updates_disabled_makes_no_request(admin_client, releases, settings):
    settings.UPDATE_CHECK_ENABLED = False
    releases.tag = "v9.0.0"

    line = help_line(admin_client)
    nav = badge(admin_client)
    page = admin_client.get(reverse("help")).content.decode()

    assert "The update check is off" in line and "The update check is off" in page
    assert nav == ""
    assert releases.count() == 0


def test_updates_token_is_sent_as_bearer(admin_client, releases, settings):
    releases.token, releases.tag = "ghp-secret-xy", "v9.0.0"
    settings.UPDATE_CHECK_TOKEN = "ghp-secret-xy"

    line = help_line(admin_client)

    assert releases.requests[-1].headers["authorization"] == "Bearer ghp-secret-xy"
    assert releases.requests[-1].headers["x-github-api-version"] == "2022-11-28"
    assert "9.0.0</strong> is out" in line and "ghp-secret-xy" not in line


def test_updates_wrong_token_says_check_the_token(admin_client, releases, settings):
    releases.token = "right"
    settings.UPDATE_CHECK_TOKEN = "wrong"

    assert "refused the request (401); check UPDATE_CHECK_TOKEN." in help_line(admin_client)


def test_updates_fragment_anonymous_gets_no_check(client, admin_user, releases):
    response = client.get(reverse("help"), {"part": "badge"}, **HX)

    assert response["HX-Redirect"].startswith("/login")
    assert releases.count() == 0


def test_updates_help_page_shows_version_from_package_metadata(admin_client, releases):
    page = admin_client.get(reverse("help")).content.decode()

    assert f"You run Immaculaterr <strong>{updates.current_version()}</strong>." in page
    assert 'hx-get="/help?part=update"' in page  # not checked yet: the fragment will
    assert releases.count() == 0  # the page itself never waits on the releases server


@pytest.fixture(params=["database", "redis"])
def shared_cache(request, settings):
    """The two caches the app runs on: the database one (no Redis) and Redis."""
    if request.param == "redis":
        settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                       "LOCATION": request.getfixturevalue("redis_url")}}
    return request.param


def at_once(n: int) -> list:
    """updates.check() from `n` threads released together, as n page loads would."""
    from django.db import connection

    gate, results = threading.Barrier(n), []

    def one():
        gate.wait()
        try:
            results.append(updates.check())
        finally:
            connection.close()

    threads = [threading.Thread(target=one) for _ in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert len(results) == n
    return results


@pytest.mark.django_db(transaction=True)
def test_updates_ten_concurrent_checks_on_an_empty_cache_send_one_request(releases,
                                                                          shared_cache):
    releases.tag = "v9.0.0"
    releases.fault(delay=0.5)  # the one request is still out while the others arrive

    results = at_once(10)

    assert releases.count("GET", "/releases/latest") == 1
    assert sum(r.state == "newer" for r in results) >= 1
    assert {(r.state, r.latest) for r in results} <= {("newer", "9.0.0"), ("unknown", "")}
    assert all(r.message == "Another page is asking the releases server right now."
               for r in results if r.state == "unknown")
    assert updates.check().latest == "9.0.0"
    assert releases.count("GET", "/releases/latest") == 1  # the answer is in the cache
    assert cache.get(updates.LOCK_KEY) is None


@pytest.mark.django_db(transaction=True)
def test_updates_concurrent_checks_after_the_hour_read_the_previous_answer(releases,
                                                                          shared_cache):
    releases.tag = "v9.0.0"
    updates.check()
    cache.delete(updates.CACHE_KEY)  # the hour is over
    releases.tag = "v9.1.0"
    releases.fault(delay=0.5)

    results = at_once(10)

    assert releases.count("GET", "/releases/latest") == 2
    assert {r.state for r in results} == {"newer"}
    assert {r.latest for r in results} <= {"9.0.0", "9.1.0"}
    assert "9.1.0" in {r.latest for r in results}
    assert updates.check().latest == "9.1.0"


def test_updates_failed_check_frees_the_lock_for_the_next_try(releases, settings):
    settings.UPDATE_CHECK_URL = "http://127.0.0.1:9/repos/immaculaterr/immaculaterr/releases/latest"

    first = updates.check()

    assert first.state == "unknown" and "could not be reached" in first.message
    assert cache.get(updates.LOCK_KEY) is None
