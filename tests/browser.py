"""Playwright driving Debian's Chromium (never a downloaded browser).

One Chromium serves the whole test session (starting Playwright's driver and the browser cost
3-5 s, more than most browser tests' own work); every `browser_page` gets a fresh context of
its own (cookies, storage, cache), as a fresh browser would, and closes every context the test
opened when it ends. `stop_browser()` (tests/conftest.py, at the end of the session) quits it.
"""

from __future__ import annotations

import asyncio
import os
from contextlib import contextmanager

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-quic"]
USERNAME, PASSWORD = "ava", "correct-horse-battery"  # tests/conftest.py's admin_user

_shared: dict = {}  # chromium_path -> (playwright, browser, event loop)


def _browser(chromium_path: str):
    from playwright.sync_api import sync_playwright

    running = _shared.get(chromium_path)
    if running is not None:
        playwright, browser, loop = running
        asyncio._set_running_loop(loop)  # as Playwright left it after its last call
        if browser.is_connected():
            return browser
        playwright.stop()
        _shared.pop(chromium_path)
    playwright = sync_playwright().start()
    browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
    _shared[chromium_path] = (playwright, browser, asyncio.get_running_loop())
    return browser


def _release() -> None:
    """Between browser tests no Playwright call runs, so its loop is not this thread's
    running loop: asyncio.run and async_to_sync in other tests work as without a browser."""
    asyncio._set_running_loop(None)


def stop_browser() -> None:
    for playwright, browser, loop in list(_shared.values()):
        asyncio._set_running_loop(loop)
        try:
            browser.close()
        finally:
            playwright.stop()
            _release()
    _shared.clear()


def watch_errors(page):
    """Console errors (CSP violations included) and uncaught exceptions on `page.errors`."""
    page.errors = []
    page.on("console", lambda m: m.type == "error" and page.errors.append(m.text))
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    return page


@contextmanager
def browser_page(chromium_path: str, **context_options):
    """A page in a fresh browser context (`context_options` as for Browser.new_context, e.g.
    java_script_enabled=False); console errors are collected on `page.errors`."""
    # Playwright's sync API runs an event loop in this thread; Django's ORM guard would
    # otherwise refuse the test's own database calls.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    try:
        browser = _browser(chromium_path)
        try:
            yield watch_errors(browser.new_context(**context_options).new_page())
        finally:
            for opened in list(browser.contexts):  # the test's second windows too
                opened.close()
    finally:
        _close_block_connections()
        _release()


def _close_block_connections() -> None:
    """While Playwright's loop is set as running, Django keeps this thread's database
    connections apart from its usual ones (ConnectionHandler is thread-critical: with a
    running loop it stores them per context), so a query the test made inside the block opened
    a second connection that nothing closed: on PostgreSQL it outlived the session and the test
    database could not be dropped ("is being accessed by other users"). Close those, and only
    those: the test's own connection (and its transaction) is in the other storage."""
    if asyncio._get_running_loop() is None:
        return
    from django.db import connections

    connections.close_all()


def sign_in(page, base: str, username: str = USERNAME, password: str = PASSWORD) -> None:
    """Sign in through the login form and land on the Dashboard."""
    page.goto(f"{base}/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")
