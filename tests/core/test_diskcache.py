"""The shared disk cache (immaculaterr.diskcache): whole files only, least recently used out
first, the file just stored kept, a missing folder made 0700 with files 0600."""

import os

from immaculaterr import diskcache


def test_store_then_read_is_whole_private_and_leaves_no_temporary_file(tmp_path):
    path = tmp_path / "cache" / "a.jpg"

    diskcache.store(path, b"x" * 10, cap_bytes=1000)

    assert diskcache.read(path) == b"x" * 10
    assert oct(path.parent.stat().st_mode & 0o777) == "0o700"
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    assert [p.name for p in path.parent.iterdir()] == ["a.jpg"]


def test_eviction_drops_the_least_recently_read_and_keeps_the_new_one(tmp_path):
    for n, name in enumerate(["old.jpg", "read.jpg", "mid.jpg"]):
        (tmp_path / name).write_bytes(b"x" * 100)
        os.utime(tmp_path / name, (1000 + n, 1000 + n))
    assert diskcache.read(tmp_path / "read.jpg") == b"x" * 100  # used now: newest

    diskcache.store(tmp_path / "new.jpg", b"y" * 100, cap_bytes=250)

    assert sorted(p.name for p in tmp_path.glob("*.jpg")) == ["new.jpg", "read.jpg"]


def test_a_missing_or_empty_file_reads_as_none(tmp_path):
    (tmp_path / "empty.jpg").write_bytes(b"")

    assert diskcache.read(tmp_path / "gone.jpg") is None
    assert diskcache.read(tmp_path / "empty.jpg") is None
