from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponseRedirect
from django.templatetags.static import static
from django.urls import include, path
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe
from django.views.generic import RedirectView

from immaculaterr import views
from immaculaterr.command_center import command_center

handler404 = "immaculaterr.views.not_found"
handler500 = "immaculaterr.views.server_error"


@login_not_required
@require_safe
def favicon(request):
    """Browsers ask for /favicon.ico by themselves: send them to our icon in static (under
    APP_BASE_PATH, resolved per request), cached a day so they do not ask on every page."""
    response = HttpResponseRedirect(static("favicon.ico"))
    patch_cache_control(response, max_age=86400)
    return response


urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("setup", views.setup, name="setup"),
    path("login", views.login_view, name="login"),
    path("logout", views.logout_view, name="logout"),
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", favicon, name="favicon"),
    path("help", views.help_page, name="help"),
    path("command-center", command_center, name="command_center"),
    path("", include("immaculaterr.onboarding.urls", namespace="onboarding")),
    # One sign-in form for everything, so the lock after failed attempts cannot be sidestepped.
    path("admin/login/", RedirectView.as_view(pattern_name="login", query_string=True)),
    path("admin/", admin.site.urls),
]

# Each app adds its pages here as it grows a urls.py.
for app, namespace in [("vault", "vault"), ("recommendations", "recommendations"),
                       ("observatory", "observatory"), ("jobs", "jobs")]:
    try:
        urlpatterns.append(path("", include(f"{app}.urls", namespace=namespace)))
    except ModuleNotFoundError as exc:
        if exc.name != f"{app}.urls":
            raise
