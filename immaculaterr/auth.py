"""First-run setup and sign-in with a lock after repeated failures."""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.conf import settings
from django.contrib.auth import authenticate, get_user_model, password_validation
from django.db.models import Q
from django.utils import timezone

from immaculaterr.models import LoginAttempt

LOCK_MESSAGE = (
    "Too many failed sign-in attempts. Sign-in is locked for {minutes} minutes; try again later."
)


class SetupForm(forms.Form):
    username = forms.CharField(max_length=150)
    password = forms.CharField(widget=forms.PasswordInput, min_length=10,
                               help_text="At least 10 characters.")
    password_again = forms.CharField(widget=forms.PasswordInput, label="Password (again)")

    def clean(self):
        data = super().clean()
        if data.get("password") and data.get("password") != data.get("password_again"):
            self.add_error("password_again", "The two passwords differ.")
        if data.get("password"):
            try:
                password_validation.validate_password(data["password"])
            except forms.ValidationError as exc:
                self.add_error("password", exc)
        return data

    def save(self):
        return get_user_model().objects.create_superuser(
            username=self.cleaned_data["username"], email="",
            password=self.cleaned_data["password"],
        )


def client_address(request) -> str:
    return request.META.get("REMOTE_ADDR", "")[:64]


def is_locked(username: str, address: str) -> bool:
    since = timezone.now() - timedelta(minutes=settings.LOGIN_LOCK_MINUTES)
    recent = LoginAttempt.objects.filter(at__gte=since)
    limit = settings.LOGIN_LOCK_ATTEMPTS
    return (recent.filter(username__iexact=username).count() >= limit
            or recent.filter(address=address).count() >= limit)


class LoginForm(forms.Form):
    username = forms.CharField(max_length=150)
    password = forms.CharField(widget=forms.PasswordInput)

    def __init__(self, request, *args, **kwargs):
        self.request = request
        self.user = None
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        username, password = data.get("username", ""), data.get("password", "")
        address = client_address(self.request)
        if is_locked(username, address):
            raise forms.ValidationError(
                LOCK_MESSAGE.format(minutes=settings.LOGIN_LOCK_MINUTES), code="locked")
        self.user = authenticate(self.request, username=username, password=password)
        if self.user is None:
            LoginAttempt.objects.create(username=username[:150], address=address)
            raise forms.ValidationError("Wrong username or password.", code="invalid")
        LoginAttempt.objects.filter(Q(username__iexact=username)).delete()
        return data
