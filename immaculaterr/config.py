"""Typed reads of the environment that fail with one sentence naming the variable.

Only immaculaterr/settings.py calls these; everything else reads django.conf.settings.
"""

from __future__ import annotations

import os
import secrets
import stat
from pathlib import Path
from urllib.parse import urlsplit

import environ
from django.core.exceptions import ImproperlyConfigured

env = environ.FileAwareEnv()

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}
DB_SCHEMES = {"sqlite", "postgres", "postgresql", "pgsql", "psql", "mysql", "mariadb"}


def text(name: str, default: str = "") -> str:
    try:
        return env.str(name, default=default).strip()
    except OSError as exc:  # NAME_FILE points at a file that cannot be read
        raise ImproperlyConfigured(
            f"{name}_FILE names {exc.filename!r}, which cannot be read ({exc.strerror})."
        ) from None


def flag(name: str, default: bool) -> bool:
    raw = text(name, "").lower()
    if name not in os.environ and f"{name}_FILE" not in os.environ:
        return default
    if raw in _TRUE:
        return True
    if raw in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}.")


def integer(name: str, default: int, low: int, high: int) -> int:
    raw = text(name, str(default))
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}.") from None
    if not low <= value <= high:
        raise ImproperlyConfigured(f"{name} must be between {low} and {high}, not {value}.")
    return value


def choice(name: str, default: str, options: set[str]) -> str:
    value = text(name, default).upper()
    if value not in options:
        raise ImproperlyConfigured(f"{name} must be one of {', '.join(sorted(options))}.")
    return value


def word_list(name: str, default: list[str]) -> list[str]:
    raw = text(name, "")
    return [w.strip() for w in raw.split(",") if w.strip()] if raw else default


def time_zone(name: str, default: str) -> str:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    value = text(name, default) or default
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ImproperlyConfigured(
            f"{name} must be a time zone name such as Europe/Berlin, not {value!r}.") from None
    return value


def origins(name: str) -> list[str]:
    values = word_list(name, [])
    for value in values:
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ImproperlyConfigured(
                f"{name} must list origins such as https://plex-tools.example.com, "
                f"not {value!r}.")
    return values


def database(name: str, default_sqlite: Path) -> dict:
    raw = text(name, "")
    if not raw:
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": str(default_sqlite)}
    scheme = urlsplit(raw).scheme
    if scheme not in DB_SCHEMES:
        raise ImproperlyConfigured(
            f"{name} must be a database URL such as sqlite:////data/immaculaterr.sqlite3 or "
            f"postgres://user:pass@host:5432/name, not {raw!r}."
        )
    return environ.Env.db_url_config(raw)


def url(name: str, default: str, schemes: tuple[str, ...]) -> str:
    raw = text(name, default)
    if raw and (urlsplit(raw).scheme not in schemes or not urlsplit(raw).netloc):
        raise ImproperlyConfigured(f"{name} must be a {'/'.join(schemes)} URL, not {raw!r}.")
    return raw


def data_dir(name: str, default: str) -> Path:
    """The data folder, owner-only: it holds the database, its WAL, sessions and keys.

    Settings call this first in web, worker and beat, so the umask set here makes everything
    any of them creates later 0600/0700; what an older version left readable is fixed here."""
    os.umask(0o077)
    path = Path(text(name, default)).expanduser().resolve()
    try:
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as exc:
        raise ImproperlyConfigured(f"{name} ({path}) cannot be created: {exc.strerror}.") from None
    for folder, _dirs, files in os.walk(path):
        _restrict(folder, 0o700)
        for file in files:
            _restrict(os.path.join(folder, file), 0o600)
    return path


def _restrict(path: str, mode: int) -> None:
    try:
        info = os.lstat(path)
        if not stat.S_ISLNK(info.st_mode) and stat.S_IMODE(info.st_mode) != mode:
            os.chmod(path, mode)
    except OSError:
        pass  # not ours (say, a file another user put in a bind mount): leave it as it is


def persistent_secret(name: str, path: Path) -> str:
    """The env value, else a random key generated once into a 0600 file and reused."""
    value = text(name, "")
    if value:
        return value
    write_once(path, secrets.token_urlsafe(50) + "\n")
    return path.read_text().strip()


def write_once(path: Path, content: str) -> None:
    """Create a private file if it is missing, whole or not at all.

    The content goes to a private temporary file first, which is then hard-linked into place:
    the link is atomic and fails when the name exists, so an existing file is never replaced
    and a process starting at the same moment (web, worker and beat do) never reads a
    half-written one. An O_EXCL create followed by a write left that window open, and a plain
    exists-then-create let the second of two starters fail with FileExistsError.
    """
    if path.exists():
        return
    temp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w") as fh:
            fh.write(content)
            fh.flush()
            os.fsync(fh.fileno())
        try:
            os.link(temp, path)
        except FileExistsError:
            pass
    finally:
        temp.unlink(missing_ok=True)


def networks(name: str) -> list[str]:
    """A comma-separated list of addresses or CIDRs (e.g. 172.18.0.0/16), normalised."""
    import ipaddress

    found = []
    for value in word_list(name, []):
        try:
            found.append(str(ipaddress.ip_network(value, strict=False)))
        except ValueError:
            raise ImproperlyConfigured(
                f"{name} must list addresses or networks such as 172.18.0.0/16, "
                f"not {value!r}.") from None
    return found


def base_path(name: str) -> str:
    """A URL path prefix such as /immaculaterr (no trailing slash), or "" for the root."""
    raw = text(name, "").strip("/")
    if not raw:
        return ""
    if any(c in raw for c in "?#%\\ ") or "//" in raw or ".." in raw.split("/"):
        raise ImproperlyConfigured(f"{name} must be a path such as /immaculaterr, not {raw!r}.")
    return "/" + raw
