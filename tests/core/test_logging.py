"""Worker and beat logs keep the rules of LOGGING: secrets redacted, long messages cut, and the
one multi-process rotating file."""

import io
import logging

from concurrent_log_handler import ConcurrentRotatingFileHandler
from django.conf import settings

from immaculaterr.celery import _keep_logging_rules
from immaculaterr.logredact import CapLength


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
    files = [h for h in logger.handlers if isinstance(h, ConcurrentRotatingFileHandler)]
    assert len(files) == 1
    assert files[0].baseFilename == str(settings.LOG_DIR / "immaculaterr.log")
    assert (files[0].maxBytes, files[0].backupCount) == (5 * 1024 * 1024, 5)
    assert files[0].lockFilename == str(settings.LOG_DIR / ".__immaculaterr.lock")
    for handler in logger.handlers:
        handler.close()


def test_celery_logger_cuts_a_long_request_path(tmp_path):
    stream = io.StringIO()
    logger = logging.getLogger("test.celery.long")
    logger.handlers = [logging.StreamHandler(stream)]
    logger.propagate = False
    _keep_logging_rules(logger=logger)

    logger.warning("Not Found: %s", "/" + "a" * 7000)

    assert stream.getvalue() == "Not Found: /" + "a" * 287 + "…\n"
    for handler in logger.handlers:
        handler.close()


def test_cap_length_leaves_a_short_message_alone():
    record = logging.LogRecord("django.request", logging.WARNING, __file__, 1,
                               "Not Found: %s", ("/setup",), None)

    CapLength(300).filter(record)

    assert record.getMessage() == "Not Found: /setup"

