"""Rows that the app writes itself (mirrored from Plex, heartbeats, sign-in attempts, TMDB
answers) cannot be added in the admin: the add form had only read-only fields and saved a row
of nulls (a 500 on PostgreSQL, which refuses them; a broken row elsewhere)."""

import pytest

pytestmark = pytest.mark.django_db
NO_ADD = ["immaculaterr/heartbeat", "immaculaterr/loginattempt", "vault/plexviewer",
          "vault/plexlibrary", "vault/plexitem", "recommendations/tmdbcacheentry"]


@pytest.mark.parametrize("model", NO_ADD)
def test_admin_add_of_app_written_rows_is_refused_and_writes_nothing(admin_client, model):
    from django.apps import apps

    label, name = model.split("/")
    before = apps.get_model(label, name).objects.count()

    posted = admin_client.post(f"/admin/{model}/add/", {"name": "x", "key": "9"})

    assert (posted.status_code, apps.get_model(label, name).objects.count()) == (403, before)
    assert admin_client.get(f"/admin/{model}/").status_code == 200
