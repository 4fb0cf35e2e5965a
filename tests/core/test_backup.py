"""Pending migrations on SQLite produce a snapshot; only the newest N are kept."""

import sqlite3

import pytest

from tests.core.procs import clean_env, manage

pytestmark = pytest.mark.services


def test_backup_pending_migrations_snapshot_and_keep_newest(tmp_path):
    backups = tmp_path / "snaps"
    env = clean_env(tmp_path, DB_PRE_MIGRATE_BACKUP_DIR=str(backups),
                    DB_PRE_MIGRATE_BACKUP_KEEP="2")
    assert manage("migrate", "django_celery_beat", "zero", env=env).returncode == 0
    db = tmp_path / "immaculaterr.sqlite3"
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE marker (v TEXT)")
        conn.execute("INSERT INTO marker VALUES ('kept')")
    conn.close()
    cmd = ("from immaculaterr.backup import before_migrate; from django.core.management import "
           "call_command as c; print(before_migrate()); c('migrate', 'django_celery_beat', "
           "'zero', verbosity=0)")
    for _ in range(3):
        result = manage("shell", "-c", cmd, env=env)
        assert result.returncode == 0, result.stderr
    snaps = sorted(backups.glob("*.sqlite3"))
    assert len(snaps) == 2
    with sqlite3.connect(snaps[-1]) as conn:
        assert conn.execute("SELECT v FROM marker").fetchall() == [("kept",)]
    conn.close()


def test_backup_nothing_pending_no_snapshot(tmp_path):
    env = clean_env(tmp_path, DB_PRE_MIGRATE_BACKUP_DIR=str(tmp_path / "snaps"))
    assert manage("migrate", env=env).returncode == 0
    result = manage("shell", "-c", "from immaculaterr.backup import before_migrate; "
                    "print(before_migrate())", env=env)
    assert result.stdout.strip().splitlines()[-1] == "None"
    assert not (tmp_path / "snaps").exists()
