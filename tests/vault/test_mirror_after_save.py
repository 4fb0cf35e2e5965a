"""Saving Plex reads its libraries and viewers at once; the mirror refresh task and schedule."""

from xml.etree import ElementTree

import pytest
import requests
from django_celery_beat.models import PeriodicTask

from vault import integrations
from vault.models import PlexItem, PlexLibrary, PlexViewer
from vault.tasks import REFRESH_TASK, refresh_plex_mirror

pytestmark = pytest.mark.django_db


def test_vault_save_plex_htmx_reads_libraries_and_viewers(admin_client, doubles):
    response = admin_client.post(
        "/vault/plex", {"enabled": "on", "url": doubles.plex.url, "token": "plex-token"},
        headers={"HX-Request": "true"})
    assert "Read 3 libraries and 4 viewers from Plex" in response.content.decode()
    assert sorted(PlexLibrary.objects.values_list("title", flat=True)) == [
        "Kids Movies", "Movies", "TV Shows"]
    assert PlexViewer.objects.filter(is_owner=True).count() == 1


def test_vault_save_plex_unreachable_still_saves_and_says_why(admin_client, doubles):
    doubles.plex.down = True
    try:
        response = admin_client.post(
            "/vault/plex", {"enabled": "on", "url": doubles.plex.url, "token": "x-token"},
            headers={"HX-Request": "true"})
    finally:
        doubles.plex.down = False
    assert "Saved, but Plex could not be read yet" in response.content.decode()
    assert integrations.is_enabled("plex")
    assert PlexLibrary.objects.count() == 0


def test_refresh_task_indexes_selected_libraries(configured_vault, doubles):
    stats = refresh_plex_mirror()
    assert stats["viewers"] == 4
    listing = requests.get(f"{doubles.plex.url}/library/sections/1/all",
                           headers={"X-Plex-Token": "plex-token",
                                    "X-Plex-Container-Size": "0"}, timeout=5)
    total = int(ElementTree.fromstring(listing.content).get("totalSize"))
    assert PlexItem.objects.filter(library__key="1").count() == total > 100


def test_refresh_task_without_plex_does_nothing():
    assert refresh_plex_mirror() is None


def test_refresh_schedule_created_after_migrate():
    task = PeriodicTask.objects.get(name=REFRESH_TASK)
    assert (task.interval.every, task.interval.period) == (30, "minutes")
