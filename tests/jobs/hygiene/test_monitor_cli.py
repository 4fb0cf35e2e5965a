"""Confirm Monitored's Plex bill and both ARR jobs through run_job, against the doubles of
test_monitor_confirm (issue 14, must-shows 5 and 6)."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from jobs.definitions import monitoring
from jobs.models import JobRun
from tests.jobs.hygiene import test_monitor_confirm as confirm
from vault import integrations

pytestmark = pytest.mark.django_db
servers, arr = confirm.servers, confirm.arr  # the fixtures, shared
run, writes = confirm.run, confirm.writes


def test_zero_plex_requests_beyond_the_mirror_refresh_for_movies(arr, monkeypatch):
    integrations.save("sonarr", False, {})
    plex, refreshed = arr["plex"], []
    real = monitoring.refresh_mirror

    def counted(ctx):
        before = plex.count()
        try:
            return real(ctx)
        finally:
            refreshed.append(plex.count() - before)

    monkeypatch.setattr(monitoring, "refresh_mirror", counted)
    plex.clear()

    assert run().status == "succeeded"

    assert len(refreshed) == 1 and plex.count() == refreshed[0] > 0
    assert plex.count(path="search") == 0


@pytest.mark.parametrize("job", ["monitor_confirm", "arr_monitored_search"])
def test_run_job_lists_and_dry_runs_each_job_against_the_doubles(arr, job, capsys):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError) as listing:
        call_command("run_job")
    assert f"  {job} " in str(listing.value)
    for double in (arr["radarr"], arr["sonarr"], arr["plex"]):
        double.clear()

    call_command("run_job", job, "--sync", "--dry-run")  # raises CommandError unless exit 0

    out = capsys.readouterr().out
    assert "(dry run: nothing was written)" in out and "would" in out.lower()
    assert (writes(arr["radarr"]), writes(arr["sonarr"]), arr["plex"].writes()) == (0, 0, 0)
    assert JobRun.objects.get(job=job).status == "succeeded"
