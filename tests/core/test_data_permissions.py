"""Everything under APP_DATA_DIR is owner-only: the database, its WAL, logs, keys, and folders."""

import json
import os
import stat

from tests.core.procs import clean_env, manage

# Runs inside `manage.py shell` while the SQLite connection is open, so -wal and -shm exist.
SCRIPT = """
import json, logging, os, sqlite3, stat
from django.conf import settings
logging.getLogger("immaculaterr").warning("A line for the log file.")
db = sqlite3.connect(settings.DATABASES["default"]["NAME"])
db.execute("PRAGMA journal_mode=WAL")
db.execute("CREATE TABLE IF NOT EXISTS probe (n INTEGER)")
db.execute("INSERT INTO probe VALUES (1)")
db.commit()
modes = {}
for folder, _dirs, files in os.walk(settings.DATA_DIR):
    for path in [folder, *(os.path.join(folder, f) for f in files)]:
        rel = os.path.relpath(path, settings.DATA_DIR)
        modes[rel] = oct(stat.S_IMODE(os.lstat(path).st_mode))
print(json.dumps(modes))
db.close()
"""


def test_data_dir_files_are_0600_and_folders_0700(tmp_path):
    data = tmp_path / "data"
    (data / "media").mkdir(parents=True)
    (data / "media" / "old-upload.png").write_bytes(b"left by an older version")
    for path, mode in [(data, 0o755), (data / "media", 0o755),
                       (data / "media" / "old-upload.png", 0o644)]:
        os.chmod(path, mode)
    env = clean_env(data)

    migrated = manage("migrate", "--no-input", env=env)
    shell = manage("shell", "-c", SCRIPT, env=env)

    assert migrated.returncode == 0, migrated.stderr[-2000:]
    assert shell.returncode == 0, shell.stderr[-2000:]
    modes = json.loads(shell.stdout.strip().splitlines()[-1])
    for name in ["immaculaterr.sqlite3", "immaculaterr.sqlite3-wal", "immaculaterr.sqlite3-shm",
                 "logs/immaculaterr.log", "logs/.__immaculaterr.lock", "secret_key",
                 "media/old-upload.png"]:
        assert modes.get(name) == "0o600", (name, modes)
    wrong = {name: mode for name, mode in modes.items()
             if mode != ("0o700" if (data / name).is_dir() else "0o600")}
    assert wrong == {}
    assert modes["."] == "0o700"


def test_data_dir_mode_survives_a_fresh_start(tmp_path):
    data = tmp_path / "fresh" / "data"

    result = manage("check", env=clean_env(data))

    assert result.returncode == 0, result.stderr[-2000:]
    assert stat.S_IMODE(data.stat().st_mode) == 0o700
    assert stat.S_IMODE((data / "logs").stat().st_mode) == 0o700
    assert stat.S_IMODE((data / "secret_key").stat().st_mode) == 0o600
