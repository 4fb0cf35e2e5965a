import hmac

from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from immaculaterr import health
from immaculaterr.auth import SETUP_COMPLETE, LoginForm, SetupComplete, SetupForm
from immaculaterr.middleware import admin_exists
from jobs import overview
from jobs.models import InstallSecret
from jobs.triggers.webhook import TOKEN_NAME


@login_not_required
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def setup(request):
    if admin_exists():
        raise Http404("Setup is complete.")
    form = SetupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = form.save()
        except SetupComplete:
            form.add_error(None, SETUP_COMPLETE)
            return render(request, "immaculaterr/setup.html", {"form": form}, status=409)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        return redirect("dashboard")
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
    report = health.report()
    checks = [{"name": name, "check": check, "why": overview.attention(name, check)}
              for name, check in report.items() if isinstance(check, dict)]
    return render(request, "immaculaterr/dashboard.html", {
        "health": report, "checks": checks, "services": overview.integrations(),
        "runs": overview.last_runs(), "datasets": overview.dataset_sizes()})


@require_safe
def help_page(request):
    return render(request, "immaculaterr/help.html")
