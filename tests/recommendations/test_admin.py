from django.urls import reverse
from django.utils import timezone

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
