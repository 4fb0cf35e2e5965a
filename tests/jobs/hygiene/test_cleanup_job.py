"""Cleanup After Adding New Content in this process against the doubles: what it keeps and
why, what it unmonitors, that it deletes nothing unless deletion is on (and Plex allows it),
the skips' reasons, and the dry run = real run for deletions (must-show 4, job half)."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from jobs.models import JobSetting
from tests.fakes.plex.library import KIDS, MOVIES, SHOWS
from tests.jobs.hygiene.conftest import writes
from tests.jobs.hygiene.support import (
    JOB,
    diff_of,
    duplicate_into_kids,
    groups_of,
    radarr_monitors,
    run_here,
)
from vault import integrations

pytestmark = [pytest.mark.django_db]


def deletion(on: bool, **extra) -> None:
    JobSetting.objects.update_or_create(job=JOB, defaults={"delete_duplicates": on, **extra})


def test_scoped_run_keeps_the_better_copy_unmonitors_radarr_and_deletes_nothing(vaulted):
    title, original, copy = duplicate_into_kids(vaulted, 0, resolution="4k", hdr="HDR10",
                                                suffix=" - 4K")
    movie = radarr_monitors(vaulted, title)

    run = run_here({"rating_keys": [copy]})

    assert run.status == "succeeded", run.reason
    group = groups_of(run)[f"{title.title} ({title.year})"]
    assert group["kept"]["rating_key"] == original and "4K" in group["kept"]["file"]
    assert group["why"].startswith("Kept: higher resolution") and "HDR10" in group["status"]
    assert {(d["rating_key"]) for d in group["delete"]} == {original, copy}
    assert len(groups_of(run)) == 1  # scoped: only the new item's group
    assert vaulted.radarr.movie_by_tmdb(title.tmdb_id)["monitored"] is False
    assert [r.json() for r in writes(vaulted.radarr)] == [{"movieIds": [movie["id"]],
                                                           "monitored": False}]
    assert writes(vaulted.plex, "DELETE") == [] and writes(vaulted.sonarr) == []
    assert {s["code"] for s in run.report["skips"]} == {"deletion_off"}
    assert len(vaulted.plex.versions_of(original)) == 2


def test_dry_run_writes_nothing_anywhere(vaulted):
    title, _, copy = duplicate_into_kids(vaulted, 1)
    radarr_monitors(vaulted, title)
    deletion(True)

    run = run_here({"rating_keys": [copy]}, dry_run=True)

    assert run.status == "succeeded", run.reason
    assert {line["action"] for line in diff_of(run)} == {"would be unmonitored",
                                                        "would be deleted"}
    assert [writes(d) for d in (vaulted.plex, vaulted.radarr, vaulted.sonarr)] == [[], [], []]
    assert vaulted.radarr.movie_by_tmdb(title.tmdb_id)["monitored"] is True


def test_deletion_on_dry_run_lists_exactly_what_the_real_run_deletes(vaulted):
    """Must-show 4 against the Plex double: a sweep with deletion on."""
    plex = vaulted.plex
    _, original, copy = duplicate_into_kids(vaulted, 2, resolution="720", codec="h264",
                                            kbps=3000)
    deletion(True, preserve_keywords="Remux")
    dry = run_here(dry_run=True)
    would = {(line["rating_key"], line["media_id"]) for line in diff_of(dry)
             if line["service"] == "plex"}
    kept = {(g["kept"]["rating_key"], g["kept"]["media_id"]) for g in groups_of(dry).values()}
    assert would and kept and not would & kept

    real = run_here()

    assert real.status == "succeeded", real.reason
    assert set(plex.deleted_media) == would
    assert len(plex.deleted_media) == len(writes(plex, "DELETE"))
    assert all(any(v.id == m for v in plex.versions_of(rk)) for rk, m in kept)
    assert [v.resolution for v in plex.versions_of(original)] == ["1080"]
    assert plex.versions_of(copy) == []  # the Kids copy's only file went with its item


def test_deletion_on_but_plex_does_not_allow_it(vaulted):
    _, _, copy = duplicate_into_kids(vaulted, 3)
    deletion(True)
    vaulted.plex.allow_media_deletion = False

    run = run_here({"rating_keys": [copy]})

    assert run.status == "succeeded"
    assert {s["code"] for s in run.report["skips"]} >= {"deletion_not_allowed"}
    assert writes(vaulted.plex, "DELETE") == []


def test_duplicate_episode_unmonitors_that_episode_only(vaulted):
    plex, sonarr = vaulted.plex, vaulted.sonarr
    show = next(t for t in vaulted.catalog.shows if t.in_plex and sonarr.series_by_tvdb(
        t.tvdb_id))
    show_key = plex.rating_key_for(show.tmdb_id, "show", SHOWS)
    season = plex.library.items[show_key].children[0]
    episode = plex.library.items[season].children[1]
    plex.duplicate_episode(episode)
    series = sonarr.series_by_tvdb(show.tvdb_id)
    for ep in sonarr.episodes_of(series["id"]):
        ep["monitored"] = True
    series["monitored"] = True

    run = run_here({"rating_keys": [show_key]})

    assert run.status == "succeeded", run.reason
    assert list(groups_of(run)) == [f"{show.title} S01E02"]
    off = [e for e in sonarr.episodes_of(series["id"]) if not e["monitored"]]
    assert [(e["seasonNumber"], e["episodeNumber"]) for e in off] == [(1, 2)]
    assert sonarr.series_by_tvdb(show.tvdb_id)["monitored"] is True
    assert [r.path for r in writes(sonarr)] == ["/api/v3/episode/monitor"]


def test_skips_say_why(vaulted):
    integrations.save("radarr", False, {})
    _, _, copy = duplicate_into_kids(vaulted, 4)
    run = run_here({"rating_keys": [copy]})
    assert run.status == "succeeded"
    reasons = {s["code"]: s["reason"] for s in run.report["skips"]}
    assert reasons["radarr_not_set_up"] == "Radarr is not set up, so no movie was unmonitored."
    assert "nothing was deleted" in reasons["deletion_off"]

    gone = run_here({"rating_keys": [999999]})
    assert (gone.status, gone.reason_code) == ("skipped", "nothing_new")
    assert gone.reason.startswith("Nothing new to clean up")

    integrations.save("plex", False, {})
    off = run_here()
    assert (off.status, off.reason_code) == ("skipped", "plex_not_enabled")
    assert off.reason == "Plex is not set up, so there is nothing to clean up."


def test_run_job_lists_the_key_and_runs_sync_dry_run(vaulted, capsys):
    """Must-show 6 for media_added_cleanup."""
    with pytest.raises(Exception) as listing:
        call_command("run_job")
    assert JOB in str(listing.value) and "Cleanup After Adding New Content" in str(
        listing.value)
    call_command("run_job", JOB, "--sync", "--dry-run")  # raises (exit 1) unless ok
    out = capsys.readouterr().out
    assert "SUCCEEDED (dry run: nothing was written)" in out and "Duplicates:" in out
    assert [writes(d) for d in (vaulted.plex, vaulted.radarr, vaulted.sonarr)] == [[], [], []]
    assert KIDS != MOVIES


def test_task_manager_card_and_rewind_show_the_decision(vaulted, admin_client):
    from django.urls import reverse

    title, original, copy = duplicate_into_kids(vaulted, 9, resolution="4k", suffix=" - 4K")
    run = run_here({"rating_keys": [copy]})
    page = admin_client.get(reverse("jobs:run", args=[run.pk])).content.decode()
    assert f"{title.title} ({title.year})" in page and "Kept: higher resolution" in page
    assert "to delete when deletion is on" in page
    tasks = admin_client.get(reverse("jobs:task_manager")).content.decode()
    assert 'id="job-media_added_cleanup"' in tasks
    assert "Cleanup After Adding New Content" in tasks and "Dry run" in tasks
