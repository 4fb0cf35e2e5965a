"""The Celery app: configured from Django settings (CELERY_*), tasks found in every app."""

import os

from celery import Celery
from celery.signals import after_setup_logger, after_setup_task_logger, worker_ready

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "immaculaterr.settings")

app = Celery("immaculaterr")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# Core tasks live in the project package itself, which autodiscovery does not scan.
app.conf.imports = ("immaculaterr.tasks",)


@worker_ready.connect
def _announce(sender=None, **kwargs):
    # Record a heartbeat as soon as a worker is up, so /healthz need not wait for beat.
    from immaculaterr.health import record_worker_heartbeat

    record_worker_heartbeat()


@after_setup_logger.connect
@after_setup_task_logger.connect
def _keep_logging_rules(logger=None, **kwargs):
    """Celery replaces the root handlers in worker and beat: put back what LOGGING promises,
    secrets redacted, long messages cut, and the one multi-process file under
    APP_DATA_DIR/logs (the same handler class the web process uses, from the same spec)."""
    from concurrent_log_handler import ConcurrentRotatingFileHandler
    from django.conf import settings

    from immaculaterr.logconfig import MESSAGE_LIMIT, file_handler
    from immaculaterr.logredact import CapLength, RedactSecrets

    if not any(isinstance(h, ConcurrentRotatingFileHandler) for h in logger.handlers):
        handler = file_handler(settings.LOGGING["handlers"]["file"])
        handler.setFormatter(logger.handlers[0].formatter if logger.handlers else None)
        logger.addHandler(handler)
    for handler in logger.handlers:
        if not any(isinstance(f, RedactSecrets) for f in handler.filters):
            handler.addFilter(RedactSecrets())
        if not any(isinstance(f, CapLength) for f in handler.filters):
            handler.addFilter(CapLength(MESSAGE_LIMIT))
