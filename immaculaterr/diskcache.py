"""A folder of cached files (the Observatory's TMDB posters, the rows' drawn posters): read one
and mark it used, store one whole or not at all, and evict the least recently used down to a
size cap. Several workers may share the folder: a file another one removed is simply gone."""

from __future__ import annotations

import contextlib
import os
import threading
from pathlib import Path


def read(path: Path) -> bytes | None:
    """The file's bytes (None when missing or empty); its mtime is set to now, so it is
    evicted last."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    with contextlib.suppress(OSError):
        os.utime(path)
    return data or None


def store(path: Path, data: bytes, cap_bytes: int, pattern: str = "*.jpg") -> None:
    """Write whole or not at all (a temporary file renamed into place, mode 0600), then evict
    the folder down to `cap_bytes`. Raises OSError when the folder cannot be written."""
    folder = path.parent
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    temp = folder / f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp"
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(data)
    os.replace(temp, path)
    evict(folder, cap_bytes, keep=path, pattern=pattern)


def evict(folder: Path, cap_bytes: int, keep: Path | None = None,
          pattern: str = "*.jpg") -> int:
    """Delete the least recently used files until the folder fits the cap (`keep`, the one
    just stored, stays); returns how many went."""
    entries = []
    for item in folder.glob(pattern):
        try:
            stat = item.stat()
        except OSError:
            continue  # another worker evicted it
        entries.append((stat.st_mtime, stat.st_size, item))
    total, removed = sum(size for _, size, _ in entries), 0
    for _, size, item in sorted(entries, key=lambda e: e[0]):
        if total <= cap_bytes:
            break
        if item == keep:
            continue
        item.unlink(missing_ok=True)
        total, removed = total - size, removed + 1
    return removed
