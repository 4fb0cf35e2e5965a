import pytest
from django.urls import reverse

from tests.fixtures_services import vault_values
from vault.models import Integration

pytestmark = pytest.mark.django_db

UNREADABLE = "Secrets cannot be decrypted — restore the key or re-enter them."


def test_admin_integration_wrong_key_shows_unreadable_state(admin_client, configured_vault,
                                                            settings):
    settings.APP_MASTER_KEY = "33" * 32

    listing = admin_client.get(reverse("admin:vault_integration_changelist"))
    first = Integration.objects.order_by("pk").first()
    change = admin_client.get(reverse("admin:vault_integration_change", args=[first.pk]))

    assert (listing.status_code, change.status_code) == (200, 200)
    assert UNREADABLE in listing.content.decode() and UNREADABLE in change.content.decode()


def test_admin_integration_right_key_shows_names_only(admin_client, configured_vault):
    response = admin_client.get(reverse("admin:vault_integration_changelist"))

    page = response.content.decode()
    secrets = [v for values in vault_values(configured_vault).values()
               for k, v in values.items() if k in ("token", "api_key")]
    assert "token set" in page and UNREADABLE not in page
    assert [s for s in secrets if s in page] == []


def test_admin_integration_anonymous_is_sent_to_login(client, admin_user, configured_vault):
    response = client.get(reverse("admin:vault_integration_changelist"))

    assert (response.status_code, "login" in response["Location"]) == (302, True)
