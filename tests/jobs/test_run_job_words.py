"""run_job speaks in job names: a chained run is named as the registry names it, its key after."""

from __future__ import annotations

from django.core.management import call_command

from jobs.models import JobRun


def test_run_job_chained_runs_named_by_job_name_with_key_after(db, demo_jobs, capsys):
    call_command("run_job", "demo_chain", "--sync")

    out = capsys.readouterr().out
    child = JobRun.objects.get(job="demo_ok")
    chained = out.split("Chained runs:\n", 1)[1].splitlines()[0]
    assert chained == f"  #{child.pk} Demo OK (demo_ok): succeeded · all viewers and libraries"


def test_run_job_chained_run_of_an_unregistered_job_keeps_a_readable_name(db, demo_jobs,
                                                                           capsys):
    call_command("run_job", "demo_chain", "--sync")
    child = JobRun.objects.get(job="demo_ok")
    JobRun.objects.filter(pk=child.pk).update(job="gone_job")
    parent = JobRun.objects.get(job="demo_chain")

    from jobs.textreport import render_text

    chained = render_text(parent).split("Chained runs:\n", 1)[1].splitlines()[0]
    assert chained == f"  #{child.pk} Gone job (gone_job): succeeded · all viewers and libraries"
