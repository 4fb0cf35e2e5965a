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
    the redaction of secrets and the rotating file under APP_DATA_DIR/logs."""
    from logging.handlers import RotatingFileHandler

    from django.conf import settings

    from immaculaterr.logredact import RedactSecrets

    if not any(isinstance(h, RotatingFileHandler) for h in logger.handlers):
        spec = settings.LOGGING["handlers"]["file"]
        handler = RotatingFileHandler(spec["filename"], maxBytes=spec["maxBytes"],
                                      backupCount=spec["backupCount"])
        handler.setFormatter(logger.handlers[0].formatter if logger.handlers else None)
        logger.addHandler(handler)
    for handler in logger.handlers:
        if not any(isinstance(f, RedactSecrets) for f in handler.filters):
            handler.addFilter(RedactSecrets())
