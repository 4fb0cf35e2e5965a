from django.apps import AppConfig


class VaultConfig(AppConfig):
    name = "vault"
    verbose_name = "Vault"

    def ready(self) -> None:
        from django.core.signals import setting_changed
        from django.db.models.signals import post_migrate

        from vault import crypto, signals

        # A malformed APP_MASTER_KEY stops start-up here with one sentence (manage.py prints it).
        crypto.check_configuration()
        setting_changed.connect(signals.settings_changed)
        from vault import tasks

        post_migrate.connect(tasks.ensure_schedule, sender=self)
