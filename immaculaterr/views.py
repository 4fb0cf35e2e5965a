import hmac

from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import redirect, render
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from immaculaterr import health, updates
from immaculaterr.auth import SETUP_COMPLETE, LoginForm, SetupComplete, SetupForm
from immaculaterr.middleware import admin_exists
from jobs import overview, registry
from jobs.models import InstallSecret
from jobs.triggers.webhook import TOKEN_NAME
from recommendations.forms.dials import DialsForm


@login_not_required
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def setup(request):
    if admin_exists():  # the wizard while it is unfinished (onboarding:index knows)
        return redirect("onboarding:index" if request.user.is_authenticated else "login")
    form = SetupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = form.save()
        except SetupComplete:
            form.add_error(None, SETUP_COMPLETE)
            return render(request, "immaculaterr/setup.html", {"form": form}, status=409)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        return redirect("onboarding:index")
    return render(request, "immaculaterr/setup.html", {"form": form})


@login_not_required
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def login_view(request):
    if not admin_exists():
        return redirect("setup")
    form = LoginForm(request, request.POST or None)
    if request.method == "POST" and form.is_valid():
        login(request, form.user)
        target = request.GET.get("next", "")
        return redirect(target if target.startswith("/") and not target.startswith("//")
                        else "dashboard")
    return render(request, "immaculaterr/login.html", {"form": form})


@require_POST
def logout_view(request):
    logout(request)
    return redirect("login")


def may_see_health_details(request) -> bool:
    """The signed-in admin, or a caller holding the install's webhook token (header or ?token=)."""
    if request.user.is_authenticated:
        return True
    given = request.headers.get("X-Health-Token") or request.GET.get("token", "")
    if not given:
        return False
    known = InstallSecret.objects.filter(name=TOKEN_NAME).values_list("value", flat=True).first()
    return bool(known) and hmac.compare_digest(given.encode(), known.encode())


@login_not_required
@never_cache
@require_safe
def healthz(request):
    """Anyone gets the status; host names, PIDs and error texts need the admin or the token."""
    report = health.report()
    body = report if may_see_health_details(request) else {"ok": report["ok"]}
    return JsonResponse(body, status=200 if report["ok"] else 503)


@require_safe
def dashboard(request):
    """`?part=live&v=…` (htmx, every 2 s while visible) is the last runs and datasets, or 204
    while the last runs are as the page shows them."""
    runs = overview.last_runs()
    live = {"runs": runs, "live_sig": overview.fingerprint(runs)}
    if request.htmx and request.GET.get("part") == "live":
        if request.GET.get("v") == live["live_sig"]:
            return HttpResponse(status=204)
        response = render(request, "immaculaterr/dashboard.html#live",
                          {**live, "datasets": overview.dataset_sizes()})
    else:
        report = health.report()
        checks = [{"name": name, "check": check, "why": overview.attention(name, check)}
                  for name, check in report.items() if isinstance(check, dict)]
        response = render(request, "immaculaterr/dashboard.html", {
            **live, "health": report, "checks": checks, "services": overview.integrations(),
            "datasets": overview.dataset_sizes()})
    response["Cache-Control"] = "no-store"  # Back shows the runs as they are now
    return response


def _dials() -> list[dict]:
    meta = DialsForm._meta
    return [{"label": meta.labels[name], "default": field.default, "text": field.help_text}
            for name in meta.fields for field in [meta.model._meta.get_field(name)]]


@require_safe
def help_page(request):
    """The FAQ and the version; `?part=update|badge` (htmx) is the update check, which may
    wait on the releases server once an hour, so pages only ever read its cache."""
    part = request.GET.get("part")
    if request.htmx and part in ("update", "badge"):
        return render(request, f"immaculaterr/help.html#{part}", {"update": updates.check()})
    return render(request, "immaculaterr/help.html", {
        "version": updates.current_version(), "update": updates.cached(),
        "jobs": registry.all_jobs(), "dials": _dials()})


@login_not_required
def not_found(request, exception=None):
    """404 inside the layout; a sentence raised with Http404 is shown, a resolver's is not."""
    reason = exception.args[0] if type(exception) is Http404 and exception.args and \
        isinstance(exception.args[0], str) else ""
    return render(request, "404.html", {"reason": reason}, status=404)


@login_not_required
def server_error(request):
    """500 from the template alone: no request context, so no session, user or database."""
    return HttpResponseServerError(loader.get_template("500.html").render({}))
