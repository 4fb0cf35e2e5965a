"""The Command Center's "Read libraries and viewers from Plex" stays on the Command Center
(issue 15, Errors); pressed on a section's own page it goes back there."""

import pytest
from django.urls import reverse

from vault.models import PlexLibrary, PlexViewer

pytestmark = pytest.mark.django_db


def test_cc_sync_pressed_on_the_command_center_returns_there(admin_client, configured_vault):
    response = admin_client.post(reverse("vault:plex_sync"), {"next": "vault:cc_libraries"},
                                 HTTP_REFERER="http://testserver/command-center")

    assert response["Location"] == reverse("command_center")
    assert (PlexLibrary.objects.count(), PlexViewer.objects.count()) == (3, 4)
    page = admin_client.get(response["Location"]).content.decode()
    assert "Libraries and viewers were read from Plex." in page


def test_cc_sync_from_a_section_page_returns_to_that_section(admin_client, configured_vault):
    response = admin_client.post(reverse("vault:plex_sync"), {"next": "vault:cc_viewers"},
                                 HTTP_REFERER="http://testserver/command-center/viewers")

    assert response["Location"] == reverse("vault:cc_viewers")


def test_cc_sync_referer_of_another_host_is_not_followed(admin_client, configured_vault):
    response = admin_client.post(reverse("vault:plex_sync"), {"next": "vault:cc_viewers"},
                                 HTTP_REFERER="http://elsewhere.example/command-center")

    assert response["Location"] == reverse("vault:cc_viewers")


def test_cc_sync_anonymous_reads_nothing(client, admin_user, configured_vault):
    response = client.post(reverse("vault:plex_sync"),
                           HTTP_REFERER="http://testserver/command-center")

    assert response.status_code == 302 and response["Location"].startswith("/login")
    assert PlexLibrary.objects.count() == 0
