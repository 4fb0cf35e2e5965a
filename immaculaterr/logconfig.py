"""The LOGGING dict: stdout and one rotating file under APP_DATA_DIR/logs, secrets redacted.

Web, worker, its pool and beat all write the same file. Each process holds its own handler, so
the handler must be multi-process safe: ConcurrentRotatingFileHandler takes a lock file in the
log folder around every write and rotation, and reopens the file another process rotated.
"""

from __future__ import annotations

from pathlib import Path

from concurrent_log_handler import ConcurrentRotatingFileHandler

FILE_HANDLER = "concurrent_log_handler.ConcurrentRotatingFileHandler"
# django.request logs "Not Found: <path>": a 7 KB path per line would push history out fast.
MESSAGE_LIMIT = 300


def build(log_dir: Path, level: str, max_bytes: int = 5 * 1024 * 1024,
          backups: int = 5) -> dict:
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {
            "redact": {"()": "immaculaterr.logredact.RedactSecrets"},
            "cap": {"()": "immaculaterr.logredact.CapLength", "limit": MESSAGE_LIMIT},
        },
        "formatters": {
            "plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
        },
        "handlers": {
            "stdout": {"class": "logging.StreamHandler", "formatter": "plain",
                       "filters": ["redact", "cap"]},
            "file": {
                "class": FILE_HANDLER,
                "filename": str(log_dir / "immaculaterr.log"),
                "maxBytes": max_bytes,
                "backupCount": backups,
                "lock_file_directory": str(log_dir),
                # Owner-only like the rest of APP_DATA_DIR; the handler makes its lock file with
                # os.open's default 0777 less the umask, which would leave it 0700.
                "chmod": 0o600,
                "formatter": "plain",
                "filters": ["redact", "cap"],
            },
        },
        "root": {"handlers": ["stdout", "file"], "level": level},
        "loggers": {
            "django.db.backends": {"level": "WARNING"},
            "urllib3": {"level": "WARNING"},
        },
    }


def file_handler(spec: dict) -> ConcurrentRotatingFileHandler:
    """The file handler LOGGING describes, for processes whose logging Celery rebuilds."""
    return ConcurrentRotatingFileHandler(
        spec["filename"], maxBytes=spec["maxBytes"], backupCount=spec["backupCount"],
        lock_file_directory=spec["lock_file_directory"], chmod=spec["chmod"])
