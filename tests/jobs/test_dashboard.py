"""The Dashboard: integrations, the last runs, dataset sizes, and why worker/beat need care."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from jobs.context import Scope
from jobs.dispatch import create_run
from jobs.models import Status, Trigger

pytestmark = pytest.mark.django_db


def cells(html: str, row_marker: str) -> str:
    start = html.index(row_marker)
    return html[start:html.index("</tr>", start)]


def add_titles(viewer, library, n, start=1000, **values):
    from recommendations.models import ImmaculateTasteTitle

    now = timezone.now()
    for i in range(n):
        ImmaculateTasteTitle.objects.create(
            viewer=viewer, library=library, media_type="movie", tmdb_id=start + i,
            title=f"T{i}", first_suggested_at=now, last_suggested_at=now, **values)


def test_dashboard_anonymous_redirected_to_login(client, admin_user):
    response = client.get("/")

    assert (response.status_code, response["Location"]) == (302, "/login?next=%2F")


def test_dashboard_integrations_show_enabled_incomplete_and_missing(admin_client):
    from vault import integrations
    from vault.models import Integration

    integrations.save("tmdb", True, {"api_key": "k"})
    Integration.objects.create(service="radarr", enabled=True, settings={"url": "http://r"})

    html = admin_client.get("/").content.decode()

    assert 'data-service="tmdb" data-state="ok"' in html
    assert "Enabled and configured." in cells(html, 'data-service="tmdb"')
    assert "a required value is missing" in cells(html, 'data-service="radarr"')
    assert "Not set up." in cells(html, 'data-service="plex"')


def test_dashboard_last_runs_link_to_rewind(admin_client, people):
    viewers, libraries = people
    run = create_run("immaculate_taste", trigger=Trigger.AUTO,
                     scope=Scope.of(viewers["bea"], libraries["1"], "movie"),
                     status=Status.SUCCEEDED)

    html = admin_client.get("/").content.decode()

    row = cells(html, f'<a href="/rewind/{run.pk}">#{run.pk}</a>')
    assert "Immaculate Taste Collection" in row and "Succeeded" in row and "Bea · Movies" in row


def test_dashboard_dataset_sizes_per_viewer_and_library(admin_client, people):
    from recommendations.models import LatestWatchedTitle

    viewers, libraries = people
    add_titles(viewers["bea"], libraries["1"], 3, status="active", points=50)
    add_titles(viewers["bea"], libraries["1"], 2, start=2000, status="pending")
    for i in range(4):
        LatestWatchedTitle.objects.create(
            viewer=viewers["cy"], library=libraries["1"], media_type="movie", tmdb_id=3000 + i,
            title=f"L{i}", list_kind="recently_watched", position=i,
            suggested_at=timezone.now())

    html = admin_client.get("/").content.decode()

    bea = cells(html, 'data-viewer="Bea" data-library="Movies"')
    cy = cells(html, 'data-viewer="Cy" data-library="Movies"')
    assert ('<td class="active" data-label="Immaculate Taste active">3</td>'
            '<td class="pending" data-label="pending">2</td>'
            '<td class="latest" data-label="Latest Watched rows">0</td>'
            in bea)
    assert ('<td class="active" data-label="Immaculate Taste active">0</td>'
            '<td class="pending" data-label="pending">0</td>'
            '<td class="latest" data-label="Latest Watched rows">4</td>'
            in cy)
    assert 'max="5" value="5"' in bea and 'max="5" value="4"' in cy


def test_dashboard_worker_without_heartbeat_asks_if_running(admin_client):
    html = admin_client.get("/").content.decode()

    worker = html[html.index('data-check="worker"'):]
    assert "Needs attention" in worker[:400]
    assert "No heartbeat yet — is the worker running?" in worker[:600]
    assert "is beat running?" in html[html.index('data-check="beat"'):]


def test_dashboard_stale_worker_heartbeat_says_its_age(admin_client):
    from immaculaterr.models import Heartbeat

    Heartbeat.objects.create(name="worker", seen_at=timezone.now() - timedelta(seconds=300),
                             detail="host pid 1")

    html = admin_client.get("/").content.decode()

    worker = html[html.index('data-check="worker"'):][:700]
    assert "Last heartbeat 300 s ago (expected within 60 s)" in worker


def test_dashboard_fresh_worker_heartbeat_is_healthy(admin_client):
    from immaculaterr.models import Heartbeat

    Heartbeat.objects.create(name="worker", seen_at=timezone.now(), detail="host pid 1")

    html = admin_client.get("/").content.decode()

    worker = html[html.index('data-check="worker"'):][:700]
    assert "Healthy" in worker and "is the worker" not in worker
