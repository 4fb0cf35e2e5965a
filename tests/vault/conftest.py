"""Vault fixtures: the shared ones (doubles, service_settings, configured_vault) come from
tests/fixtures_services.py, registered in tests/conftest.py."""
