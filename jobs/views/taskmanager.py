"""Task Manager: a card per job with Run now, dry run, Auto-Run, schedule, the Missing titles
routing and live progress."""

from __future__ import annotations

import hashlib

from django.contrib import messages
from django.db.models import Max
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST, require_safe
from django_htmx.http import HttpResponseStopPolling

from jobs import registry, runner, schedules
from jobs.dispatch import dispatch
from jobs.forms import (
    MISSING_TITLE_JOBS,
    SERVICE_NAMES,
    RoutingForm,
    RunForm,
    ScheduleForm,
)
from jobs.models import JobRun, JobSetting, Trigger
from jobs.triggers import auto_run_on
from jobs.triggers import webhook as hooks
from vault import integrations

TEMPLATE = "jobs/task_manager.html"


def _spec(key: str):
    try:
        return registry.get(key)
    except registry.UnknownJob:
        raise Http404(f"No job {key!r}.") from None


def ids(key: str) -> str:
    """Element ids per card, so the cards' forms never share one on the page."""
    return f"id_{key}_%s"


def routing(spec, form=None, saved: str = "") -> dict | None:
    """The Missing titles section of a card, for the jobs that find missing titles."""
    if spec.key not in MISSING_TITLE_JOBS:
        return None
    setting = JobSetting.of(spec.key)
    form = form or RoutingForm(initial=RoutingForm.initial_for(setting),
                               auto_id=ids(spec.key))
    return {"form": form, "setting": setting, "saved": saved,
            "overseerr": setting.route == JobSetting.OVERSEERR,
            "missing_services": [SERVICE_NAMES[s] for s in _services(spec, setting.route)
                                 if not integrations.is_enabled(s)]}


def _services(spec, route: str) -> list[str]:
    if route == JobSetting.OVERSEERR:
        return ["overseerr"]
    return [s for media, s in (("movie", "radarr"), ("tv", "sonarr")) if media in spec.media_types]


def card(spec, run_form=None, schedule_form=None, routing_form=None, saved="") -> dict:
    periodic = schedules.job_schedule(spec.key)
    last = JobRun.objects.filter(job=spec.key).first()
    return {
        "routing": routing(spec, routing_form, saved),
        "spec": spec,
        "auto_run": periodic.enabled if spec.scheduled and periodic else auto_run_on(spec.key),
        "periodic": periodic,
        "next_run": schedules.next_run(periodic) if spec.scheduled else None,
        "last": last,
        "run_form": run_form or RunForm(spec=spec, initial={"media_type": "movie"},
                                        auto_id=ids(spec.key)),
        "schedule_form": schedule_form or ScheduleForm(
            initial=ScheduleForm.initial_for(periodic), auto_id=ids(spec.key)),
    }


def _render_card(request, spec, **forms):
    return render(request, f"{TEMPLATE}#card", {"card": card(spec, **forms)})


@require_safe
def task_manager(request):
    return _page(request)


def _page(request, replaced: dict | None = None, status: int = 200):
    webhook_url = request.build_absolute_uri(reverse("jobs:plex_webhook"))
    replaced = replaced or {}
    response = render(request, TEMPLATE, {
        "cards": [replaced.get(spec.key) or card(spec) for spec in registry.all_jobs()],
        "webhook_url": f"{webhook_url}?token={hooks.token()}", "live_sig": live_state()[0],
    }, status=status)
    response["Cache-Control"] = "no-store"  # Back shows the runs as they are now
    return response


def live_state() -> tuple[str, dict[str, tuple]]:
    """A fingerprint of every job's last run (pk, status, step, progress, cancel asked) and
    those values per job: two small queries, so the open page can ask every few seconds."""
    last = JobRun.objects.order_by().values("job").annotate(last=Max("pk")).values("last")
    rows = {job: rest for job, *rest in JobRun.objects.filter(pk__in=last).values_list(
        "job", "pk", "status", "step", "current", "total", "cancel_requested_at")}
    digest = hashlib.blake2s(repr(sorted(rows.items())).encode(), digest_size=8).hexdigest()
    return digest, rows


@require_safe
def tasks_live(request):
    """The open Task Manager's poll: 204 while nothing changed, else the cards whose last run
    changed (swapped out of band) and the poller with the new fingerprint."""
    digest, rows = live_state()
    if request.GET.get("v") == digest:
        return HttpResponse(status=204)
    specs = [spec for spec in registry.all_jobs() if spec.key in rows]
    response = render(request, f"{TEMPLATE}#live_poll", {
        "live_sig": digest, "oob": True,
        "cards": [{"spec": spec, "last": JobRun.objects.filter(pk=rows[spec.key][0]).first()}
                  for spec in specs]})
    response["Cache-Control"] = "no-store"
    return response


@require_POST
def cancel_run(request, pk: int):
    """Cancel a queued or running run; from the Task Manager (htmx) the cards refresh at
    once, from the run page it comes back to the run with the sentence."""
    run = get_object_or_404(JobRun.objects.only("pk"), pk=pk)
    sentence = runner.request_cancel(run.pk, by=request.user.get_username())
    if request.htmx:
        return HttpResponse(status=204, headers={"HX-Trigger": "live-refresh"})
    messages.info(request, f"Run #{run.pk}: {sentence}")
    back = request.POST.get("next", "")
    # a path of ours only ("-1" is no URL: redirect() would take it for a view name)
    if not back.startswith("/") or not url_has_allowed_host_and_scheme(
            back, {request.get_host()}, require_https=request.is_secure()):
        back = reverse("jobs:run", args=[run.pk])
    return HttpResponseRedirect(back)


@require_POST
def run_now(request, key: str):
    spec = _spec(key)
    form = RunForm(request.POST, spec=spec, auto_id=ids(spec.key))
    if not form.is_valid():
        if request.htmx:
            return _render_card(request, spec, run_form=form)
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect("jobs:task_manager")
    run = dispatch(key, trigger=Trigger.MANUAL, scope=form.scope(), seed=form.seed(),
                   dry_run=form.cleaned_data["dry_run"] or "dry" in request.POST)
    if request.htmx:  # the card comes back with the seed and scope as typed, for a rerun
        kept = {name: form.cleaned_data.get(name) for name in form.fields if name != "dry_run"}
        return _render_card(request, spec,
                            run_form=RunForm(spec=spec, initial=kept, auto_id=ids(spec.key)))
    return redirect("jobs:run", pk=run.pk)


@require_POST
def save_routing(request, key: str):
    spec = _spec(key)
    if spec.key not in MISSING_TITLE_JOBS:
        raise Http404("This job does not find missing titles.")
    form = RoutingForm(request.POST, auto_id=ids(spec.key))
    if not form.is_valid():
        if request.htmx:
            return _render_card(request, spec, routing_form=form)
        return _page(request, {spec.key: card(spec, routing_form=form)}, status=400)
    form.save(spec.key)
    saved = "Saved; approval and search now were turned off." if form.turned_off else "Saved."
    if request.htmx:
        return _render_card(request, spec, saved=saved)
    messages.success(request, f"{spec.name}: {saved}")
    return redirect(f"{reverse('jobs:task_manager')}#job-{spec.key}")


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
    form = ScheduleForm(request.POST or None, initial=ScheduleForm.initial_for(periodic),
                        auto_id=ids(spec.key))
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
    """Only with the confirmation the page asks for: the old URL stops working at once."""
    if request.POST.get("confirm") != "yes":
        messages.error(request, "The token was kept: confirm that Plex's webhook URL will be "
                                "updated before making a new one.")
        return redirect("jobs:task_manager")
    hooks.regenerate_token()
    messages.success(request, "A new webhook token was made; update the URL in Plex.")
    return redirect("jobs:task_manager")


@require_safe
def run_progress(request, pk: int):
    run = get_object_or_404(JobRun, pk=pk)
    context = {"run": run, "spec": registry.REGISTRY.get(run.job), "self_poll": True}
    response = render(request, f"{TEMPLATE}#progress", context)
    if request.htmx and not run.is_active:
        stop = HttpResponseStopPolling(response.content)
        if request.GET.get("on") == "run":
            stop["HX-Refresh"] = "true"  # the run page shows the whole report now
        return stop
    return response
