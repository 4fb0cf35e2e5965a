"""Rewind: the history of runs, filterable, and each run's report."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from immaculaterr.params import INT_MAX, signed_id
from jobs import registry
from jobs.models import JobRun, Status

TEMPLATE = "jobs/rewind.html"


def filtered_runs(params) -> tuple[object, dict]:
    runs = JobRun.objects.defer("report")  # a list never shows it, and each can be large
    chosen = {name: params.get(name, "") for name in ("job", "status", "viewer")}
    if chosen["job"]:
        runs = runs.filter(job=chosen["job"])
    if chosen["status"]:
        runs = runs.filter(status=chosen["status"])
    viewer = signed_id(chosen["viewer"], INT_MAX)
    if viewer is not None:
        runs = runs.filter(viewer_account_id=viewer)
    elif chosen["viewer"]:
        runs = runs.none()  # an account id no run can have: say "No runs match"
    return runs, chosen


def viewer_choices() -> list[tuple[int, str]]:
    rows = JobRun.objects.exclude(viewer_account_id=None).values_list(
        "viewer_account_id", "viewer_name").distinct()
    names: dict[int, str] = {}
    for account, name in rows:
        names[account] = name or names.get(account) or f"account {account}"
    return sorted(names.items(), key=lambda kv: kv[1].lower())


@require_safe
def run_list(request):
    runs, chosen = filtered_runs(request.GET)
    page = Paginator(runs, 50).get_page(request.GET.get("page"))
    context = {"page": page, "chosen": chosen, "jobs": registry.all_jobs(),
               "statuses": Status.choices, "viewers": viewer_choices()}
    template = f"{TEMPLATE}#runs" if request.htmx else TEMPLATE
    return render(request, template, context)


@require_safe
def run_detail(request, pk: int):
    run = get_object_or_404(JobRun.objects.select_related("parent"), pk=pk)
    context = {"run": run, "spec": registry.REGISTRY.get(run.job),
               "children": run.children.all(), "lines": run.lines.order_by("pk")[:500],
               "report": run.report or {}}
    return render(request, "jobs/run.html", context)
