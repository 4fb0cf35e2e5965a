"""The Celery app: configured from Django settings (CELERY_*), tasks found in every app."""

import os

from celery import Celery
from celery.signals import worker_ready

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
