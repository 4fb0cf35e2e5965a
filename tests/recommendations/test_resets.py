"""Command Center → Resets: preview, typed confirmation, counts, scope; owner and anonymous."""

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from recommendations.models import ImmaculateTasteTitle, RejectedTitle
from recommendations.views.resets import PLEX_NOTE

URL = reverse("recommendations:cc_resets")
HTMX = {"HX-Request": "true"}


@pytest.fixture
def shows(db):
    from vault.models import PlexLibrary

    return PlexLibrary.objects.create(key="2", kind="show", title="TV Shows")


def add_titles(viewer, library, count: int, start: int = 1) -> None:
    now = timezone.now()
    ImmaculateTasteTitle.objects.bulk_create(
        ImmaculateTasteTitle(viewer=viewer, library=library, media_type=library.kind,
                             tmdb_id=i, title=f"Title {i}", first_suggested_at=now,
                             last_suggested_at=now)
        for i in range(start, start + count))


def add_rejected(viewer, count: int, media_type: str = "movie") -> None:
    RejectedTitle.objects.bulk_create(
        RejectedTitle(viewer=viewer, media_type=media_type, tmdb_id=i) for i in range(count))


def counts(model, field: str) -> dict:
    rows = model.objects.values_list(field, flat=True)
    return {name: list(rows).count(name) for name in set(rows)}


@pytest.fixture
def datasets(viewer, other_viewer, library, shows):
    add_titles(viewer, library, 3)
    add_titles(viewer, shows, 2)
    add_titles(other_viewer, library, 4)
    add_rejected(viewer, 2)
    add_rejected(other_viewer, 5, "show")


def immaculate(action: str, viewer="", library="", confirm="") -> dict:
    return {"reset": "immaculate", "action": action, "immaculate-viewer": viewer,
            "immaculate-library": library, "immaculate-confirm": confirm}


def rejected(action: str, viewer="", confirm="") -> dict:
    return {"reset": "rejected", "action": action, "rejected-viewer": viewer,
            "rejected-confirm": confirm}


def test_cc_resets_full_page_offers_both_resets(admin_client, datasets):
    response = admin_client.get(URL)

    body = response.content.decode()
    assert "<html" in body and 'id="recommendation-resets"' in body
    assert 'id="reset-immaculate"' in body and 'id="reset-rejected"' in body
    assert body.count(">Alice</option>") == 2 and ">TV Shows</option>" in body
    assert 'value="reset"' not in body  # no reset button before a preview


def test_cc_resets_htmx_gets_only_the_fragment(admin_client):
    response = admin_client.get(URL, headers=HTMX)

    body = response.content.decode()
    assert "<html" not in body and body.lstrip().startswith('<div id="recommendation-resets">')


def test_cc_resets_listed_in_command_center(admin_client):
    response = admin_client.get(reverse("command_center"))

    assert f'hx-get="{URL}"' in response.content.decode()


def test_cc_resets_anonymous_is_sent_to_login(client, admin_user):
    response = client.get(URL)

    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_cc_resets_anonymous_htmx_post_removes_nothing(client, admin_user, datasets):
    response = client.post(URL, immaculate("reset", confirm="reset"), headers=HTMX)

    assert response["HX-Redirect"].startswith(reverse("login"))
    assert ImmaculateTasteTitle.objects.count() == 9 and RejectedTitle.objects.count() == 7


def test_reset_immaculate_preview_shows_counts_and_writes_nothing(admin_client, datasets,
                                                                  viewer):
    response = admin_client.post(URL, immaculate("preview", viewer=viewer.pk), headers=HTMX)

    body = response.content.decode()
    assert "would remove <strong>5</strong> Immaculate Taste titles (Alice · All libraries)" \
        in body
    assert "<li>Alice · Movies: 3</li>" in body and "<li>Alice · TV Shows: 2</li>" in body
    assert 'name="immaculate-confirm"' in body and 'value="reset"' in body
    assert f'type="hidden" name="immaculate-viewer" value="{viewer.pk}"' in body
    assert ImmaculateTasteTitle.objects.count() == 9


def test_reset_immaculate_without_typed_word_removes_nothing(admin_client, datasets, viewer):
    response = admin_client.post(URL, immaculate("reset", viewer=viewer.pk, confirm="yes"),
                                 headers=HTMX)

    body = response.content.decode()
    assert 'Type &quot;reset&quot; to confirm; nothing was removed.' in body
    assert "would remove <strong>5</strong>" in body
    assert ImmaculateTasteTitle.objects.count() == 9


def test_reset_immaculate_confirmed_removes_only_that_viewer_and_library(
        admin_client, datasets, viewer, library):
    response = admin_client.post(
        URL, immaculate("reset", viewer=viewer.pk, library=library.pk, confirm=" Reset "),
        headers=HTMX)

    body = response.content.decode()
    assert "Removed 3 Immaculate Taste titles (Alice · Movies)." in body
    assert "<li>Alice · Movies: 3</li>" in body and escape(PLEX_NOTE) in body
    assert counts(ImmaculateTasteTitle, "viewer__name") == {"Alice": 2, "Bob": 4}
    assert set(ImmaculateTasteTitle.objects.filter(viewer=viewer)
               .values_list("library__title", flat=True)) == {"TV Shows"}
    assert RejectedTitle.objects.count() == 7


def test_reset_immaculate_all_viewers_and_libraries_empties_the_dataset(admin_client,
                                                                        datasets):
    response = admin_client.post(URL, immaculate("reset", confirm="reset"))

    body = response.content.decode()
    assert "<html" in body
    assert "Removed 9 Immaculate Taste titles (All viewers · All libraries)." in body
    assert ImmaculateTasteTitle.objects.count() == 0 and RejectedTitle.objects.count() == 7


def test_reset_rejected_preview_writes_nothing(admin_client, datasets, other_viewer):
    response = admin_client.post(URL, rejected("preview", viewer=other_viewer.pk), headers=HTMX)

    body = response.content.decode()
    assert "would remove <strong>5</strong> rejected titles (Bob)" in body
    assert "<li>Bob · show: 5</li>" in body
    assert RejectedTitle.objects.count() == 7


def test_reset_rejected_confirmed_removes_only_that_viewer(admin_client, datasets, viewer):
    response = admin_client.post(URL, rejected("reset", viewer=viewer.pk, confirm="reset"),
                                 headers=HTMX)

    body = response.content.decode()
    assert "Removed 2 rejected titles (Alice)." in body and escape(PLEX_NOTE) not in body
    assert counts(RejectedTitle, "viewer__name") == {"Bob": 5}
    assert ImmaculateTasteTitle.objects.count() == 9


def test_reset_preview_with_nothing_to_remove_asks_no_confirmation(admin_client, datasets,
                                                                   other_viewer, shows):
    response = admin_client.post(
        URL, immaculate("preview", viewer=other_viewer.pk, library=shows.pk), headers=HTMX)

    body = response.content.decode()
    assert "Nothing to remove (Bob · TV Shows)." in body
    assert 'name="immaculate-confirm"' not in body


def test_reset_unknown_viewer_is_a_form_error(admin_client, datasets):
    response = admin_client.post(URL, immaculate("reset", viewer="999", confirm="reset"),
                                 headers=HTMX)

    body = response.content.decode()
    assert "Select a valid choice." in body
    assert ImmaculateTasteTitle.objects.count() == 9


def test_reset_post_leaves_the_other_reset_untouched_and_blank(admin_client, datasets, viewer):
    response = admin_client.post(URL, rejected("preview", viewer=viewer.pk), headers=HTMX)

    body = response.content.decode()
    assert body.count("would remove") == 1 and 'name="immaculate-confirm"' not in body
