"""Login-by-default and a Content-Security-Policy that forbids inline code."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth import get_user_model
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect
from django.urls import reverse
from django_htmx.http import HttpResponseClientRedirect

CSP = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",  # posters come through our proxy (observatory.posters)
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self' https://app.plex.tv",
    "frame-ancestors 'none'",
])


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", CSP)
        response.setdefault("Referrer-Policy", "same-origin")
        return response


ALLOWED_METHODS = ("GET", "HEAD", "POST")


class AllowedMethodsMiddleware:
    """No page takes TRACE, PUT, DELETE or OPTIONS: answer 405 before any view renders."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in ALLOWED_METHODS:
            return HttpResponseNotAllowed(
                ALLOWED_METHODS, f"This address does not accept {request.method[:20]} requests.",
                content_type="text/plain; charset=utf-8")
        return self.get_response(request)


def admin_exists() -> bool:
    return get_user_model().objects.exists()


class LoginRequiredMiddleware:
    """Every view needs a signed-in admin unless it is marked with @login_not_required.

    Before the admin exists every page leads to /setup. An htmx request gets HX-Redirect so
    the login page is never swapped into a fragment.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.user.is_authenticated or not getattr(view_func, "login_required", True):
            return None
        if not admin_exists():
            target = reverse("setup")
        else:
            target = f"{reverse('login')}?{urlencode({'next': request.get_full_path()})}"
        if getattr(request, "htmx", False):
            return HttpResponseClientRedirect(target)
        return redirect(target)


class AdminEmptyToFieldMiddleware:
    """Django's admin looks up a field named "" when `_to_field=` is sent empty and answers
    500 (FieldDoesNotExist); an empty `_to_field` means no field, so drop it before the admin."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info.startswith("/admin/"):
            for name in ("GET", "POST") if request.method == "POST" else ("GET",):
                params = getattr(request, name)
                if "_to_field" in params and not params.get("_to_field"):
                    params = params.copy()
                    params.pop("_to_field")
                    setattr(request, name, params)
        return self.get_response(request)
