from django.apps import AppConfig


class ImmaculaterrConfig(AppConfig):
    name = "immaculaterr"
    verbose_name = "Immaculaterr"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from immaculaterr import schedules

        post_migrate.connect(schedules.ensure_core_schedules, sender=self)
        post_migrate.connect(schedules.ensure_cache_table, sender=self)
