import re

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from recommendations.models import ImmaculateTasteTitle, RejectedTitle


def test_admin_immaculate_list_shows_columns_and_filters(admin_client, viewer, library):
    now = timezone.now()
    ImmaculateTasteTitle.objects.create(
        viewer=viewer, library=library, media_type="movie", tmdb_id=949, title="Heat",
        year=1995, status="active", points=42, first_suggested_at=now, last_suggested_at=now)

    response = admin_client.get(reverse("admin:recommendations_immaculatetastetitle_changelist"),
                                {"q": "Heat", "status__exact": "active"})

    body = response.content.decode()
    assert "Heat" in body and "42" in body and "Alice" in body
    assert "By status" in body and "By approval" in body


def test_admin_rejected_list_searches_by_tmdb_id(admin_client, viewer):
    RejectedTitle.objects.create(viewer=viewer, media_type="movie", tmdb_id=949, title="Heat")
    RejectedTitle.objects.create(viewer=viewer, media_type="movie", tmdb_id=1, title="Other")

    response = admin_client.get(reverse("admin:recommendations_rejectedtitle_changelist"),
                                {"q": "949"})

    body = response.content.decode()
    assert "Heat" in body and "Other" not in body


def dataset_rows(viewer, library, tmdb_client):
    """One row of every recommendations model; the TMDB cache filled by a real client call."""
    from recommendations.engine.tmdbcache import CachedTmdb
    from recommendations.models import LatestWatchedTitle, RecommendationSettings

    now = timezone.now()
    RecommendationSettings.load()
    CachedTmdb(tmdb_client).search("movie", "Heat", 1995)
    return {
        "immaculatetastetitle": ImmaculateTasteTitle.objects.create(
            viewer=viewer, library=library, media_type="movie", tmdb_id=949, title="Heat",
            imdb_id="tt0113277", status="pending", first_suggested_at=now,
            last_suggested_at=now),
        "latestwatchedtitle": LatestWatchedTitle.objects.create(
            viewer=viewer, library=library, media_type="movie", list_kind="change_of_taste",
            position=1, tmdb_id=949, title="Heat", suggested_at=now),
        "rejectedtitle": RejectedTitle.objects.create(viewer=viewer, media_type="movie",
                                                      tmdb_id=949, title="Heat"),
    }


@pytest.mark.parametrize(("model", "filters", "search"), [
    ("immaculatetastetitle", {"status__exact": "pending", "approval__exact": "none"}, "Heat"),
    ("latestwatchedtitle", {"list_kind__exact": "change_of_taste"}, "Alice"),
    ("rejectedtitle", {"media_type__exact": "movie"}, "949"),
    ("tmdbcacheentry", {"endpoint": "search"}, "Heat"),
    ("recommendationsettings", {}, ""),
])
def test_admin_every_recommendations_model_lists_and_opens_without_secrets(
        admin_client, viewer, library, tmdb_client, tmdb_double, model, filters, search):
    rows = dataset_rows(viewer, library, tmdb_client)
    obj = rows.get(model) or apps.get_model("recommendations", model).objects.get()

    listing = admin_client.get(reverse(f"admin:recommendations_{model}_changelist"),
                               {**filters, "q": search})
    change = admin_client.get(reverse(f"admin:recommendations_{model}_change", args=[obj.pk]))

    assert (listing.status_code, change.status_code) == (200, 200)
    body = listing.content.decode()
    assert re.search(r'class="paginator">\s*1 [a-zA-Z ]+\s*<', body)  # exactly one row listed
    assert escape(str(obj)) in body and escape(str(obj)) in change.content.decode()
    for page in (body, change.content.decode()):
        assert tmdb_double.api_key not in page


def test_admin_dataset_search_finds_a_title_by_imdb_id(admin_client, viewer, library,
                                                       tmdb_client):
    dataset_rows(viewer, library, tmdb_client)

    response = admin_client.get(
        reverse("admin:recommendations_immaculatetastetitle_changelist"), {"q": "tt0113277"})

    body = response.content.decode()
    assert "Heat" in body and "By status" in body and "By media type" in body


def test_admin_settings_cannot_get_a_second_row(admin_client):
    from recommendations.models import RecommendationSettings

    RecommendationSettings.load()

    response = admin_client.get(reverse("admin:recommendations_recommendationsettings_add"))

    assert response.status_code == 403
