"""Shared fixtures: users, and real services that must exist in CI."""

from __future__ import annotations

import os
import shutil
import socket
import sys
from urllib.parse import urlsplit

import pytest

pytest_plugins = ["tests.fixtures_services", "tests.fidelity.arr.plugin"]

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def _redis_url() -> str:
    """TEST_REDIS_URL (default database 15); under pytest-xdist each worker gwN takes the
    database N below it, so parallel workers never flush each other's queues."""
    url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    if not worker.startswith("gw"):
        return url
    base, _, db = url.rpartition("/")
    return f"{base}/{(int(db or 0) - int(worker[2:])) % 16}"


REDIS_URL = _redis_url()
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


def need(what: str, available: bool) -> None:
    """In CI a missing service is a failure, never a silent skip."""
    if available:
        return
    if IN_CI:
        pytest.fail(f"{what} is required in CI but is not available")
    pytest.skip(f"{what} is not available on this machine")


def reachable(url: str) -> bool:
    parts = urlsplit(url)
    try:
        with socket.create_connection((parts.hostname, parts.port or 6379), timeout=1):
            return True
    except OSError:
        return False


@pytest.fixture
def redis_url() -> str:
    need(f"Redis at {REDIS_URL}", reachable(REDIS_URL))
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()
    return REDIS_URL


@pytest.fixture
def chromium_path() -> str:
    need(f"Chromium at {CHROMIUM}", bool(shutil.which(CHROMIUM)))
    return CHROMIUM


@pytest.fixture
def admin_user(db, django_user_model):
    return django_user_model.objects.create_superuser("ava", "", "correct-horse-battery")


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


def pytest_configure(config):
    delete_instead_of_truncate()


def delete_instead_of_truncate() -> None:
    """On PostgreSQL, the flush after each transactional test empties the tables with DELETE
    in one transaction rather than one TRUNCATE of every table: TRUNCATE makes new files for
    each of the ~45 tables and their indexes (1-2 s per test here), DELETE of a few rows takes
    milliseconds. The foreign keys Django makes are deferred to the commit, when every table
    is empty; sequences are not reset either way. Resetting sequences or cascading (not what
    the test flush asks) still truncates."""
    from django.db import models  # noqa: F401 - loads the backends' base modules first

    try:
        from django.db.backends.postgresql.operations import DatabaseOperations
    except ImportError:  # no psycopg: no PostgreSQL runs
        return
    truncate = DatabaseOperations.sql_flush

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        if reset_sequences or allow_cascade:
            return truncate(self, style, tables, reset_sequences=reset_sequences,
                            allow_cascade=allow_cascade)
        return ["SET CONSTRAINTS ALL DEFERRED;"] + [
            f"{style.SQL_KEYWORD('DELETE FROM')} {style.SQL_FIELD(self.quote_name(t))};"
            for t in tables]

    DatabaseOperations.sql_flush = sql_flush


def pytest_sessionfinish(session, exitstatus):
    browser = sys.modules.get("tests.browser")  # loaded only when a browser test ran
    if browser is not None:
        browser.stop_browser()
