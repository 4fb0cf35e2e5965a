"""Vault fixtures (shared ones live in tests/fixtures_services.py)."""

from tests.fixtures_services import (  # noqa: F401
    configured_vault,
    doubles,
    service_settings,
)
