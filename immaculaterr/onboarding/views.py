"""The wizard's pages: one view for every step; GET shows it (and remembers it, so leaving
and coming back resumes there), POST saves it ("Continue") or skips it ("Skip")."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django_htmx.http import HttpResponseStopPolling

from immaculaterr.models import Onboarding
from immaculaterr.onboarding import steps
from jobs.models import JobRun


@never_cache
@require_http_methods(["GET", "HEAD"])
def index(request):
    state = Onboarding.load()
    if state.finished_at:
        return redirect("dashboard")
    return redirect("onboarding:step", slug=state.step if state.step in steps.SLUGS else "plex")


def _remember(state: Onboarding, slug: str) -> None:
    if state.step != slug:
        state.step = slug
        state.save(update_fields=["step", "updated_at"])


def _skipped(state: Onboarding, slug: str, skipped: bool) -> None:
    marks = [s for s in state.skipped if s != slug] + ([slug] if skipped else [])
    if marks != state.skipped:
        state.skipped = marks
        state.save(update_fields=["skipped", "updated_at"])


def _page(request, step, context: dict, status: int = 200):
    position = steps.SLUGS.index(step.slug)
    context = {"step": step, "steps": steps.STEPS, "position": position + 1,
               "total": len(steps.STEPS), "previous": steps.SLUGS[position - 1]
               if position else "", "skipped": request.onboarding.skipped} | context
    return render(request, f"immaculaterr/onboarding/{step.slug}.html", context, status=status)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def step(request, slug: str):
    if slug not in steps.BY_SLUG:
        raise Http404("No such step.")
    step, state = steps.BY_SLUG[slug], Onboarding.load()
    request.onboarding = state
    if request.method != "POST":
        _remember(state, slug)
        return _page(request, step, steps.CONTEXTS[slug](request))
    action = request.POST.get("action", "continue")
    if slug == "done":
        state.finished_at = state.finished_at or timezone.now()
        state.step = "done"
        state.save(update_fields=["finished_at", "step", "updated_at"])
        return redirect("dashboard")
    if action != "skip":
        again = steps.SAVES[slug](request, state)
        if again is not None:
            return _page(request, step, again, status=200 if again.get("stay") else 400)
    _skipped(state, slug, action == "skip")
    following = steps.following(slug)
    _remember(state, following)
    return redirect("onboarding:step", slug=following)


@never_cache
@require_http_methods(["GET", "HEAD"])
def import_status(request):
    """The import's progress (polled while it runs), so Done shows how it ended."""
    run = JobRun.objects.filter(pk=Onboarding.load().history_run_id).first()
    if run is None:
        raise Http404("No import was started.")
    response = render(request, "immaculaterr/onboarding/_import_run.html", {"run": run})
    if request.htmx and not run.is_active:
        return HttpResponseStopPolling(response.content)
    return response
