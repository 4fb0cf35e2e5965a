"""Task Manager: a card per job with Run now, dry run, Auto-Run, schedule and live progress."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe
from django_htmx.http import HttpResponseStopPolling

from jobs import registry, schedules
from jobs.dispatch import dispatch
from jobs.forms import RunForm, ScheduleForm
from jobs.models import JobRun, JobSetting, Trigger
from jobs.triggers import auto_run_on
from jobs.triggers import webhook as hooks

TEMPLATE = "jobs/task_manager.html"


def _spec(key: str):
    try:
        return registry.get(key)
    except registry.UnknownJob:
        raise Http404(f"No job {key!r}.") from None


def card(spec, run_form=None, schedule_form=None) -> dict:
    periodic = schedules.job_schedule(spec.key)
    last = JobRun.objects.filter(job=spec.key).first()
    return {
        "spec": spec,
        "auto_run": periodic.enabled if spec.scheduled and periodic else auto_run_on(spec.key),
        "periodic": periodic,
        "last": last,
        "run_form": run_form or RunForm(spec=spec, initial={"media_type": "movie"}),
        "schedule_form": schedule_form or ScheduleForm(
            initial=ScheduleForm.initial_for(periodic)),
    }


def _render_card(request, spec, **forms):
    return render(request, f"{TEMPLATE}#card", {"card": card(spec, **forms)})


@require_safe
def task_manager(request):
    webhook_url = request.build_absolute_uri(reverse("jobs:plex_webhook"))
    return render(request, TEMPLATE, {
        "cards": [card(spec) for spec in registry.all_jobs()],
        "webhook_url": f"{webhook_url}?token={hooks.token()}",
    })


@require_POST
def run_now(request, key: str):
    spec = _spec(key)
    form = RunForm(request.POST, spec=spec)
    if not form.is_valid():
        if request.htmx:
            return _render_card(request, spec, run_form=form)
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect("jobs:task_manager")
    run = dispatch(key, trigger=Trigger.MANUAL, scope=form.scope(), seed=form.seed(),
                   dry_run=form.cleaned_data["dry_run"] or "dry" in request.POST)
    if request.htmx:
        return _render_card(request, spec)
    return redirect("jobs:run", pk=run.pk)


@require_POST
def toggle_auto_run(request, key: str):
    spec = _spec(key)
    wanted = request.POST.get("auto_run") == "on"
    periodic = schedules.job_schedule(key) if spec.scheduled else None
    if periodic is not None:
        periodic.enabled = wanted
        periodic.save(update_fields=["enabled"])
    else:
        JobSetting.objects.update_or_create(job=key, defaults={"auto_run": wanted})
    if request.htmx:
        return _render_card(request, spec)
    return redirect("jobs:task_manager")


def edit_schedule(request, key: str):
    spec = _spec(key)
    periodic = schedules.job_schedule(key)
    if not spec.scheduled or periodic is None:
        raise Http404("This job has no schedule.")
    form = ScheduleForm(request.POST or None, initial=ScheduleForm.initial_for(periodic))
    if request.method == "POST" and form.is_valid():
        periodic.crontab = schedules.crontab_of(form.cleaned_data["line"],
                                                form.cleaned_data["timezone"])
        periodic.enabled = form.cleaned_data["enabled"]
        periodic.save()
        form = None
    if request.htmx or request.method == "POST" and form is not None:
        return _render_card(request, spec, schedule_form=form)
    return redirect("jobs:task_manager")


@require_POST
def new_webhook_token(request):
    hooks.regenerate_token()
    messages.success(request, "A new webhook token was made; update the URL in Plex.")
    return redirect("jobs:task_manager")


@require_safe
def run_progress(request, pk: int):
    run = get_object_or_404(JobRun, pk=pk)
    context = {"run": run, "spec": registry.REGISTRY.get(run.job)}
    response = render(request, f"{TEMPLATE}#progress", context)
    if request.htmx and not run.is_active:
        stop = HttpResponseStopPolling(response.content)
        return stop
    return response
