from django.apps import AppConfig


class VaultConfig(AppConfig):
    name = "vault"
    verbose_name = "Vault"

    def ready(self) -> None:
        from django.core.signals import setting_changed

        from vault import crypto, signals

        # A malformed APP_MASTER_KEY stops start-up here with one sentence (manage.py prints it).
        crypto.check_configuration()
        setting_changed.connect(signals.settings_changed)
