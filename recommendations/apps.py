from django.apps import AppConfig


class RecommendationsConfig(AppConfig):
    name = "recommendations"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from recommendations import tasks

        post_migrate.connect(tasks.ensure_schedules, sender=self)
