"""The LOGGING dict: stdout and a rotating file under APP_DATA_DIR/logs, secrets redacted."""

from __future__ import annotations

from pathlib import Path


def build(log_dir: Path, level: str) -> dict:
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"redact": {"()": "immaculaterr.logredact.RedactSecrets"}},
        "formatters": {
            "plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
        },
        "handlers": {
            "stdout": {"class": "logging.StreamHandler", "formatter": "plain",
                       "filters": ["redact"]},
            "file": {
                "class": "logging.handlers.RotatingFileHandler",
                "filename": str(log_dir / "immaculaterr.log"),
                "maxBytes": 5 * 1024 * 1024,
                "backupCount": 5,
                "formatter": "plain",
                "filters": ["redact"],
            },
        },
        "root": {"handlers": ["stdout", "file"], "level": level},
        "loggers": {
            "django.db.backends": {"level": "WARNING"},
            "urllib3": {"level": "WARNING"},
        },
    }
