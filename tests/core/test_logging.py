"""Worker and beat logs keep the rules of LOGGING: secrets redacted, a rotating file."""

import io
import logging
from logging.handlers import RotatingFileHandler

from django.conf import settings

from immaculaterr.celery import _keep_logging_rules


def test_celery_logger_gets_redaction_and_file(tmp_path):
    stream = io.StringIO()
    logger = logging.getLogger("test.celery.root")
    logger.handlers = [logging.StreamHandler(stream)]
    logger.propagate = False

    _keep_logging_rules(logger=logger)
    _keep_logging_rules(logger=logger)  # celery may signal twice; nothing doubles
    logger.warning("Retrying GET /3/movie/603?api_key=tmdb-secret-key&language=en-US")

    assert "tmdb-secret-key" not in stream.getvalue()
    assert "api_key***" in stream.getvalue()
    files = [h for h in logger.handlers if isinstance(h, RotatingFileHandler)]
    assert len(files) == 1
    assert files[0].baseFilename == str(settings.LOG_DIR / "immaculaterr.log")
    for handler in logger.handlers:
        handler.close()
