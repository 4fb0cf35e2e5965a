"""Logs: recent lines, filterable by level, job and run; htmx follows new lines."""

from __future__ import annotations

import logging

from django.shortcuts import render
from django.views.decorators.http import require_safe

from immaculaterr.params import positive_id
from jobs import registry
from jobs.models import LogLine

TEMPLATE = "jobs/logs.html"
LEVELS = [("DEBUG", logging.DEBUG), ("INFO", logging.INFO), ("WARNING", logging.WARNING),
          ("ERROR", logging.ERROR)]


def filtered_lines(params):
    lines = LogLine.objects.all()
    chosen = {name: params.get(name, "") for name in ("level", "job", "run")}
    level = dict(LEVELS).get(chosen["level"].upper())
    if level:
        lines = lines.filter(level__gte=level)
    if chosen["job"]:
        lines = lines.filter(job=chosen["job"])
    run = positive_id(chosen["run"])
    if run is not None:
        lines = lines.filter(run_id=run)
    elif chosen["run"]:
        lines = lines.none()  # no run has that id
    return lines, chosen


@require_safe
def log_lines(request):
    lines, chosen = filtered_lines(request.GET)
    after = positive_id(request.GET.get("after", ""))
    if request.htmx and after is not None:
        new = list(lines.filter(pk__gt=after)[:200])
        last = new[0].pk if new else after
        return render(request, f"{TEMPLATE}#follow",
                      {"new_lines": new, "last": last, "chosen": chosen})
    recent = list(lines[:300])
    context = {"lines": recent, "last": recent[0].pk if recent else 0, "chosen": chosen,
               "levels": [name for name, _ in LEVELS], "jobs": registry.all_jobs()}
    template = f"{TEMPLATE}#lines" if request.htmx else TEMPLATE
    return render(request, template, context)
