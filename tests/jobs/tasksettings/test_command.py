"""manage.py tasks show | set: every task's settings, and clear refusals."""

import pytest
from django.core.management import CommandError, call_command
from django_celery_beat.models import PeriodicTask

from jobs import schedules
from jobs.forms import OVERSEERR_DOES_IT
from jobs.models import JobSetting

pytestmark = pytest.mark.django_db


def tasks(*args) -> str:
    from io import StringIO

    out = StringIO()
    call_command("tasks", *args, stdout=out)
    return out.getvalue()


def test_tasks_show_lists_every_task_with_names_and_defaults():
    out = tasks("show")

    assert "Immaculate Taste Collection (immaculate_taste)" in out
    assert "Based on Latest Watched (latest_watched)" in out
    assert "Immaculate Taste Refresher (immaculate_taste_refresher)" in out
    block = out.split("\n\n")[[b.startswith("Immaculate Taste Collection")
                                for b in out.split("\n\n")].index(True)]
    assert block.splitlines()[1:] == [
        "  auto run:      on", "  fetch missing: off",
        "  route:         direct (Radarr for movies, Sonarr for TV)",
        "  approval:      off", "  search now:    off"]


def test_tasks_show_refresher_has_only_auto_run():
    out = tasks("show", "immaculate_taste_refresher")

    assert out.strip().splitlines()[1:] == ["  auto run:      on"]


def test_tasks_set_changes_a_subset_and_prints_the_new_settings():
    out = tasks("set", "immaculate_taste", "fetch_missing=on", "route=direct", "search_now=on")

    s = JobSetting.objects.get(job="immaculate_taste")
    assert (s.fetch_missing, s.route, s.approval, s.search_now, s.auto_run) == \
        (True, "direct", False, True, True)
    assert "  fetch missing: on" in out and "  search now:    on" in out


def test_tasks_set_overseerr_turns_approval_and_search_off_and_says_so():
    tasks("set", "latest_watched", "approval=on", "search_now=on")

    out = tasks("set", "latest_watched", "route=overseerr")

    s = JobSetting.objects.get(job="latest_watched")
    assert (s.route, s.approval, s.search_now) == ("overseerr", False, False)
    assert "approval and search now were turned off" in out
    assert "  approval:      off (direct route only)" in out


@pytest.mark.parametrize("changes", [("route=overseerr", "approval=on"),
                                     ("route=overseerr", "search_now=on")])
def test_tasks_set_overseerr_with_approval_or_search_is_refused(changes):
    with pytest.raises(CommandError) as caught:
        tasks("set", "immaculate_taste", *changes)

    assert str(caught.value) == OVERSEERR_DOES_IT
    assert not JobSetting.objects.filter(job="immaculate_taste").exists()


def test_tasks_set_approval_on_a_task_routed_to_overseerr_is_refused():
    tasks("set", "immaculate_taste", "route=overseerr")

    with pytest.raises(CommandError, match="sends to Overseerr. Overseerr does its own"):
        tasks("set", "immaculate_taste", "approval=on")
    assert JobSetting.objects.get(job="immaculate_taste").approval is False


@pytest.mark.parametrize(("args", "message"), [
    (("set", "nope", "auto_run=on"), "There is no task 'nope'. Tasks: immaculate_taste,"),
    (("set", "immaculate_taste", "colour=on"), "There is no setting 'colour'; the settings "
                                               "are auto_run, fetch_missing, route,"),
    (("set", "immaculate_taste", "auto_run=maybe"), "auto_run is on or off, not 'maybe'."),
    (("set", "immaculate_taste", "route=sideways"), "route is direct or overseerr, not "
                                                    "'sideways'."),
    (("set", "immaculate_taste", "fetch_missing"), "'fetch_missing' is not setting=value"),
    (("set", "immaculate_taste"), "Give a task key and at least one setting"),
    (("set", "immaculate_taste_refresher", "route=direct"),
     "Immaculate Taste Refresher does not find missing titles, so it has no route; only "
     "auto_run."),
])
def test_tasks_set_bad_input_names_what_is_accepted(args, message):
    with pytest.raises(CommandError) as caught:
        tasks(*args)

    assert message in str(caught.value)
    assert JobSetting.objects.count() == 0


def test_tasks_set_auto_run_off_on_a_scheduled_task_disables_its_schedule():
    schedules.ensure_job_schedules()

    out = tasks("set", "immaculate_taste_refresher", "auto_run=off")

    periodic = PeriodicTask.objects.get(name=schedules.task_name("immaculate_taste_refresher"))
    assert periodic.enabled is False and "  auto run:      off" in out


def test_tasks_set_auto_run_off_on_a_plex_task_saves_the_setting():
    tasks("set", "immaculate_taste", "auto_run=off")

    assert JobSetting.objects.get(job="immaculate_taste").auto_run is False
