from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from immaculaterr import health
from immaculaterr.auth import LoginForm, SetupForm
from immaculaterr.middleware import admin_exists
from jobs import overview


@login_not_required
@never_cache
def setup(request):
    if admin_exists():
        raise Http404("Setup is complete.")
    form = SetupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        return redirect("dashboard")
    return render(request, "immaculaterr/setup.html", {"form": form})


@login_not_required
@never_cache
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


@login_not_required
@never_cache
def healthz(request):
    report = health.report()
    return JsonResponse(report, status=200 if report["ok"] else 503)


def dashboard(request):
    report = health.report()
    checks = [{"name": name, "check": check, "why": overview.attention(name, check)}
              for name, check in report.items() if isinstance(check, dict)]
    return render(request, "immaculaterr/dashboard.html", {
        "health": report, "checks": checks, "services": overview.integrations(),
        "runs": overview.last_runs(), "datasets": overview.dataset_sizes()})


def help_page(request):
    return render(request, "immaculaterr/help.html")
