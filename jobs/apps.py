from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "jobs"
    verbose_name = "Jobs"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from jobs import registry, schedules

        registry.load()
        post_migrate.connect(schedules.ensure_job_schedules, sender=self)
