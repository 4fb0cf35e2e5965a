"""The jobs app: its jobs register when Django is ready, and its beat schedules follow every
migrate."""

from django.apps import AppConfig

# The modules whose @job decorators register the product's jobs, one per family.
JOB_MODULES = ("jobs.definitions.collections", "jobs.definitions.refreshers",
               "jobs.definitions.fresh", "jobs.definitions.history",
               "jobs.definitions.monitoring", "jobs.definitions.cleanup")


class JobsConfig(AppConfig):
    name = "jobs"
    verbose_name = "Jobs"

    def ready(self) -> None:
        # Here, not at module top: job modules import models, which load after the AppConfig.
        from importlib import import_module

        from django.db.models.signals import post_migrate

        from jobs import conf, schedules

        for name in (*JOB_MODULES, *conf.get("JOBS_EXTRA_MODULES")):
            import_module(name)
        post_migrate.connect(schedules.ensure_job_schedules, sender=self)
