"""The sign-in lock under a parallel burst, and the auth events it writes to the log."""

import logging
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connections
from django.test import Client

from immaculaterr import auth
from immaculaterr.models import LoginAttempt

pytestmark = pytest.mark.django_db(transaction=True)

BURST = 20


@pytest.fixture
def counted_checks(monkeypatch):
    """Every password check the sign-in form makes, each as slow as a real hash."""
    checks = []
    real = auth.authenticate

    def slow_authenticate(*args, **kwargs):
        checks.append(kwargs.get("username"))
        time.sleep(0.3)
        return real(*args, **kwargs)

    monkeypatch.setattr(auth, "authenticate", slow_authenticate)
    return checks


def burst(password: str) -> list[str]:
    start = threading.Barrier(BURST)

    def attempt(_):
        start.wait()
        try:
            return Client().post("/login", {"username": "ava", "password": password}
                                 ).content.decode()
        finally:
            connections.close_all()

    with ThreadPoolExecutor(BURST) as pool:
        return list(pool.map(attempt, range(BURST)))


def test_lockout_parallel_burst_checks_at_most_the_limit(admin_user, counted_checks, settings):
    pages = burst("wrong-password")

    assert 1 <= len(counted_checks) <= settings.LOGIN_LOCK_ATTEMPTS
    locked = [p for p in pages if "Sign-in is locked for 15 minutes" in p]
    wrong = [p for p in pages if "Wrong username or password." in p]
    assert (len(locked), len(wrong)) == (BURST - len(counted_checks), len(counted_checks))


def test_lockout_refused_attempts_leave_no_row_and_a_full_lock_holds(
        admin_user, counted_checks, settings):
    burst("wrong-password")
    checks = len(counted_checks)
    # Attempts refused by the lock are not kept, so they cannot stretch it.
    assert LoginAttempt.objects.count() == checks
    LoginAttempt.objects.bulk_create(
        LoginAttempt(username="ava", address="127.0.0.1")
        for _ in range(settings.LOGIN_LOCK_ATTEMPTS - checks))

    response = Client().post("/login", {"username": "ava", "password": "correct-horse-battery"})

    assert "Sign-in is locked" in response.content.decode()
    assert len(counted_checks) == checks


def test_lockout_failed_sign_in_and_lock_are_logged_without_the_password(admin_user, caplog):
    caplog.set_level(logging.WARNING, logger="immaculaterr.auth")
    client = Client(REMOTE_ADDR="192.0.2.44")
    for _ in range(6):
        client.post("/login", {"username": "ava", "password": "hunter2-secret"})

    lines = [r.getMessage() for r in caplog.records if r.name == "immaculaterr.auth"]
    assert lines[0] == "Failed sign-in for user 'ava' from 192.0.2.44."
    assert lines.count("Failed sign-in for user 'ava' from 192.0.2.44.") == 5
    assert ("Sign-in locked for 15 minutes for user 'ava' and address 192.0.2.44 after 5 "
            "failed attempts.") in lines
    assert lines[-1] == ("Sign-in refused for user 'ava' from 192.0.2.44: sign-in is locked "
                         "after 5 failed attempts within 15 minutes.")
    assert all("hunter2" not in line for line in lines)
    assert all(r.levelno == logging.WARNING for r in caplog.records if r.name.endswith("auth"))
