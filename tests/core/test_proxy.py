"""Behind an HTTPS reverse proxy: sign-in, HSTS, the webhook URL and the lock's client address.

The loopback proxy in tests/loopback.py adds X-Forwarded-Proto: https, -Host and -For, as
nginx, Caddy or Traefik terminating TLS would.
"""

import json
import os
import subprocess
import sys

import pytest

from immaculaterr.models import LoginAttempt
from tests.loopback import Client, https_proxy

pytestmark = pytest.mark.django_db(transaction=True)

SITE = "immaculaterr.example.com"
BROWSER = {"Host": SITE, "Origin": f"https://{SITE}", "Referer": f"https://{SITE}/login"}


def settings_under(env: dict) -> dict:
    """The settings a fresh process computes from these environment variables."""
    code = ("import django, json; django.setup(); from django.conf import settings as s; "
            "print(json.dumps({k: getattr(s, k, None) for k in ['SECURE_PROXY_SSL_HEADER', "
            "'USE_X_FORWARDED_HOST', 'SECURE_HSTS_SECONDS', 'TRUSTED_PROXIES', "
            "'FORCE_SCRIPT_NAME', 'STATIC_URL', 'SESSION_COOKIE_PATH', 'CSRF_COOKIE_PATH']}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env={**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings", **env},
                         timeout=60)
    assert out.returncode == 0, out.stderr[-2000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


@pytest.fixture
def trust_proto_only(settings):
    """What TRUST_X_FORWARDED_PROTO=true alone gives (checked by the first test)."""
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.USE_X_FORWARDED_HOST = True
    settings.TRUSTED_PROXIES = []
    return settings


def test_proxy_settings_from_trust_x_forwarded_proto_alone():
    got = settings_under({"TRUST_X_FORWARDED_PROTO": "true"})

    assert got["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert got["USE_X_FORWARDED_HOST"] is True
    assert got["SECURE_HSTS_SECONDS"] == 365 * 24 * 3600
    assert got["TRUSTED_PROXIES"] == []


def test_proxy_settings_trusted_proxies_and_base_path():
    got = settings_under({"TRUSTED_PROXIES": "172.18.0.0/16, 10.1.2.3",
                          "APP_BASE_PATH": "/immaculaterr/"})

    assert got["TRUSTED_PROXIES"] == ["172.18.0.0/16", "10.1.2.3/32"]
    assert got["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert got["FORCE_SCRIPT_NAME"] == "/immaculaterr"
    assert got["STATIC_URL"] == "/immaculaterr/static/"
    assert got["SESSION_COOKIE_PATH"] == got["CSRF_COOKIE_PATH"] == "/immaculaterr"


def test_proxy_sign_in_sends_hsts_and_shows_an_https_webhook_url(
        live_server, admin_user, trust_proto_only):
    with https_proxy(live_server.url) as proxy:
        browser = Client(proxy, headers=BROWSER)
        status, headers, _ = browser.post_form("/login", {"username": "ava",
                                                          "password": "correct-horse-battery"})
        assert (status, headers["Location"]) == (302, "/")
        assert headers["Strict-Transport-Security"] == "max-age=31536000"
        status, _, page = browser.get("/tasks")

    assert status == 200
    assert f"https://{SITE}/webhooks/plex?token=" in page


def test_proxy_lock_counts_the_forwarded_client_not_the_proxy(
        live_server, admin_user, trust_proto_only):
    trust_proto_only.TRUSTED_PROXIES = ["127.0.0.1/32"]
    with https_proxy(live_server.url, forwarded_for=["203.0.113.9"]) as proxy:
        guesser = Client(proxy, headers={**BROWSER, "X-Test-Client": "198.51.100.7"})
        for i in range(5):
            guesser.post_form("/login", {"username": f"guess{i}", "password": "x"})
        _, _, locked = guesser.post_form("/login", {"username": "ava",
                                                    "password": "correct-horse-battery"})
        admin = Client(proxy, headers={**BROWSER, "X-Test-Client": "198.51.100.8"})
        status, _, _ = admin.post_form("/login", {"username": "ava",
                                                  "password": "correct-horse-battery"})

    assert "Sign-in is locked" in locked
    assert status == 302
    assert set(LoginAttempt.objects.values_list("address", flat=True)) == {"198.51.100.7"}


def test_proxy_headers_from_an_untrusted_peer_are_ignored(
        live_server, admin_user, trust_proto_only):
    trust_proto_only.TRUSTED_PROXIES = ["10.0.0.0/8"]
    spoofer = Client(live_server.url, headers={"X-Forwarded-For": "198.51.100.99",
                                               "X-Forwarded-Proto": "https"})

    status, headers, _ = spoofer.post_form("/login", {"username": "ava", "password": "x"})

    assert status == 200
    assert "Strict-Transport-Security" not in headers
    assert list(LoginAttempt.objects.values_list("address", flat=True)) == ["127.0.0.1"]
