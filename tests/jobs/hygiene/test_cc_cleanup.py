"""Command Center → Duplicate cleanup: deletion off by default, on only after a preview and
the typed word; the preview lists exactly the files the next sweep deletes; the keep rule."""

from __future__ import annotations

import pytest
from django.urls import reverse

from jobs.models import JobSetting
from tests.jobs.hygiene.conftest import writes
from tests.jobs.hygiene.support import JOB, diff_of, duplicate_into_kids, run_here

pytestmark = [pytest.mark.django_db]
URL = reverse("jobs:cc_cleanup")


def setting() -> JobSetting:
    return JobSetting.of(JOB)


def test_section_is_listed_and_deletion_is_off_by_default(admin_client, vaulted):
    page = admin_client.get(reverse("command_center")).content.decode()
    assert URL in page and "Duplicate cleanup" in page
    html = admin_client.get(URL).content.decode()
    assert "Deletion is off." in html and "Preview what would be deleted" in html
    assert setting().delete_duplicates is False


def test_turning_deletion_on_needs_the_preview_and_the_typed_word(admin_client, vaulted):
    _, original, copy = duplicate_into_kids(vaulted, 7, resolution="4k", suffix=" - 4K")

    shown = admin_client.post(URL, {"action": "preview"}).content.decode()

    assert "Preview (nothing deleted)" in shown and "Type DELETE to turn deletion on" in shown
    assert writes(vaulted.plex, "DELETE") == [] and setting().delete_duplicates is False
    wrong = admin_client.post(URL, {"action": "enable", "confirm": "delete"}).content.decode()
    assert "Type DELETE (capital letters) to confirm." in wrong
    assert setting().delete_duplicates is False

    on = admin_client.post(URL, {"action": "enable", "confirm": "DELETE"},
                           headers={"HX-Request": "true"})
    assert setting().delete_duplicates is True and "Deletion is on." in on.content.decode()
    assert "<html" not in on.content.decode()  # the fragment for htmx

    run = run_here()  # the sweep deletes exactly the files the preview listed
    deleted = [line["file"] for line in diff_of(run) if line["action"] == "deleted"]
    assert deleted and all(f in shown for f in deleted)
    assert len(vaulted.plex.versions_of(original)) == 1 and vaulted.plex.versions_of(copy) == []

    admin_client.post(URL, {"action": "disable"})
    assert setting().delete_duplicates is False


def test_keep_rule_is_validated_and_saved(admin_client, vaulted):
    bad = admin_client.post(URL, {"action": "rule", "keep_order": "size,colour",
                                  "preserve_keywords": ""}).content.decode()
    assert "Use only: resolution, hdr, codec, bitrate, size." in bad
    admin_client.post(URL, {"action": "rule", "keep_order": "size, resolution",
                            "preserve_keywords": " Remux ,, 2160p "})
    saved = setting()
    assert (saved.keep_order, saved.preserve_keywords) == ("size,resolution", "Remux, 2160p")
