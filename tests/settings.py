"""Test settings: the real settings module, on a throwaway data directory."""

import os
import tempfile

os.environ.setdefault("APP_DATA_DIR", tempfile.mkdtemp(prefix="immaculaterr-test-"))
# pytest-xdist's workers inherit the controller's APP_DATA_DIR: each takes its own folder in it,
# or their workers' embedded brokers (APP_DATA_DIR/broker) would take each other's tasks. The
# processes a test starts inherit the mark and keep the APP_DATA_DIR they are given.
_XDIST = os.environ.get("PYTEST_XDIST_WORKER", "")
if _XDIST and os.environ.get("IMMACULATERR_TEST_DIR_OF") != _XDIST:
    os.environ["APP_DATA_DIR"] = os.path.join(os.environ["APP_DATA_DIR"], _XDIST)
    os.makedirs(os.environ["APP_DATA_DIR"], mode=0o700, exist_ok=True)
    os.environ["IMMACULATERR_TEST_DIR_OF"] = _XDIST
os.environ.setdefault("APP_MASTER_KEY", "11" * 32)
# No test may reach the internet: services nobody pointed at a double go to a closed port.
os.environ.setdefault("PLEX_TV_URL", "http://127.0.0.1:9")
os.environ.setdefault("TMDB_BASE_URL", "http://127.0.0.1:9/3")
os.environ.setdefault("GOOGLE_SEARCH_URL", "http://127.0.0.1:9/customsearch/v1")
os.environ.setdefault("UPDATE_CHECK_URL", "http://127.0.0.1:9/repos/x/y/releases/latest")

from immaculaterr.settings import *  # noqa: E402,F403
from immaculaterr.settings import DATA_DIR, DATABASES  # noqa: E402

if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # A file, not memory, so a real worker process can share the test database.
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test-db.sqlite3")}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
