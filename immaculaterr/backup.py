"""The SQLite snapshot taken before pending migrations are applied."""

from __future__ import annotations

import logging
import sqlite3
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor

log = logging.getLogger(__name__)


class BackupFailed(RuntimeError):
    pass


def pending_migrations(alias: str = DEFAULT_DB_ALIAS) -> list[str]:
    executor = MigrationExecutor(connections[alias])
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{m.app_label}.{m.name}" for m, _ in plan]


def sqlite_path(alias: str = DEFAULT_DB_ALIAS) -> Path | None:
    db = settings.DATABASES[alias]
    if not db["ENGINE"].endswith("sqlite3") or str(db["NAME"]) == ":memory:":
        return None
    return Path(db["NAME"])


def snapshot(source: Path, directory: Path, keep: int) -> Path:
    """Copy the live database with SQLite's online backup API, then keep the newest `keep`."""
    directory.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    target = directory / f"immaculaterr-premigrate-{stamp}.sqlite3"
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    dst.close()
    for old in sorted(directory.glob("immaculaterr-premigrate-*.sqlite3"))[:-keep]:
        old.unlink()
    return target


def before_migrate(alias: str = DEFAULT_DB_ALIAS) -> Path | None:
    """Take the snapshot when it is wanted, possible and useful; return its path."""
    source = sqlite_path(alias)
    if not settings.DB_PRE_MIGRATE_BACKUP or source is None or not source.exists():
        return None
    if not pending_migrations(alias):
        return None
    try:
        path = snapshot(source, settings.DB_PRE_MIGRATE_BACKUP_DIR,
                        settings.DB_PRE_MIGRATE_BACKUP_KEEP)
    except (OSError, sqlite3.Error) as exc:
        if settings.DB_PRE_MIGRATE_BACKUP_STRICT:
            raise BackupFailed(
                f"the pre-migration backup failed ({exc}) and DB_PRE_MIGRATE_BACKUP_STRICT is on"
            ) from exc
        log.warning("Pre-migration backup failed, migrating anyway: %s", exc)
        return None
    log.info("Pre-migration snapshot written to %s", path)
    return path
