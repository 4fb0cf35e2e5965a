"""The recently-added check's debounce and its dedupe with library.new webhooks."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from jobs.models import JobRun, JobSetting
from jobs.triggers import recent
from jobs.triggers import webhook as hooks
from tests.fakes.plex.library import KIDS
from tests.jobs.hygiene.support import JOB, library_new, movie_only_in_movies

pytestmark = [pytest.mark.django_db]


def test_a_long_burst_still_gets_one_run_after_the_debounce(vaulted, settings):
    settings.JOBS_RECENT_DEBOUNCE_SECONDS = 120
    start = timezone.now()
    assert recent.check(start) is None
    added = []
    for n in range(3):  # a new item at every check, a minute apart
        added.append(vaulted.plex.add_item(KIDS, movie_only_in_movies(vaulted, 30 + n)))
        run = recent.check(start + timedelta(seconds=60 * (n + 1)))
        assert (run is None) == (n < 2), n
    assert sorted(run.seed["rating_keys"]) == sorted(added)
    assert JobRun.objects.filter(job=JOB).count() == 1
    assert recent.check(start + timedelta(seconds=240)) is None


def test_items_a_webhook_started_are_not_run_again(vaulted):
    assert recent.check() is None
    title = movie_only_in_movies(vaulted, 40)
    key = vaulted.plex.add_item(KIDS, title)
    hooks.library_new(hooks.parse(library_new(key, KIDS, title.title)))
    assert recent.check() is None and recent.check() is None
    assert list(JobRun.objects.filter(job=JOB).values_list("item_key", flat=True)) == [str(key)]


def test_auto_run_off_starts_nothing(vaulted):
    JobSetting.objects.create(job=JOB, auto_run=False)
    assert recent.check() is None
    vaulted.plex.add_item(KIDS, movie_only_in_movies(vaulted, 41))
    assert recent.check() is None and recent.check() is None
    assert not JobRun.objects.filter(job=JOB).exists()
    title = movie_only_in_movies(vaulted, 42)
    key = vaulted.plex.add_item(KIDS, title)
    run = hooks.library_new(hooks.parse(library_new(key, KIDS, title.title)))
    assert (run.status, run.reason_code) == ("skipped", "auto_run_off")
