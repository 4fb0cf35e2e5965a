"""First-run setup and sign-in with a lock after repeated failures."""

from __future__ import annotations

import logging
from datetime import timedelta

from django import forms
from django.conf import settings
from django.contrib.auth import authenticate, get_user_model, password_validation
from django.db import IntegrityError, transaction
from django.utils import timezone

from immaculaterr import proxy
from immaculaterr.models import AdminSeat, LoginAttempt
from jobs.models import LogLine

log = logging.getLogger("immaculaterr.auth")

LOCK_MESSAGE = (
    "Too many failed sign-in attempts. Sign-in is locked for {minutes} minutes; try again later."
)


def security_event(message: str, *args) -> None:
    """A sign-in event for the admin to see: in the file log and on the Logs page (which reads
    LogLine rows), never with the password."""
    log.warning(message, *args)
    LogLine.objects.create(level=logging.WARNING, message=(message % args)[:2000])


class SetupComplete(Exception):
    """The admin already exists (a concurrent setup won the seat)."""


SETUP_COMPLETE = "Setup is already complete: sign in with the admin account."


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
        """The admin, or SetupComplete when another setup took the one seat first."""
        user = get_user_model()(username=self.cleaned_data["username"], email="",
                                is_staff=True, is_superuser=True)
        user.set_password(self.cleaned_data["password"])  # the slow hash, outside the lock
        try:
            with transaction.atomic():
                seat = AdminSeat.objects.create(id=AdminSeat.ONE)
                user.save()
                seat.user = user
                seat.save(update_fields=["user"])
        except IntegrityError:
            raise SetupComplete() from None
        return user


def client_address(request) -> str:
    return proxy.client_address(request)


def recent_attempts(username: str, address: str) -> int:
    """Attempts in the window for this username or from this address, whichever is more."""
    since = timezone.now() - timedelta(minutes=settings.LOGIN_LOCK_MINUTES)
    recent = LoginAttempt.objects.filter(at__gte=since)
    return max(recent.filter(username__iexact=username).count(),
               recent.filter(address=address).count())


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
        # Count the attempt before the slow hash, so a parallel burst cannot pass the limit.
        attempt = LoginAttempt.objects.create(username=username[:150], address=address)
        limit, minutes = settings.LOGIN_LOCK_ATTEMPTS, settings.LOGIN_LOCK_MINUTES
        if recent_attempts(username, address) > limit:
            attempt.delete()  # a refused attempt does not stretch the lock
            security_event("Sign-in refused for user %r from %s: sign-in is locked after %d "
                           "failed attempts within %d minutes.", username[:150], address, limit,
                           minutes)
            raise forms.ValidationError(LOCK_MESSAGE.format(minutes=minutes), code="locked")
        self.user = authenticate(self.request, username=username, password=password)
        if self.user is None:
            security_event("Failed sign-in for user %r from %s.", username[:150], address)
            if recent_attempts(username, address) == limit:
                security_event("Sign-in locked for %d minutes for user %r and address %s after "
                               "%d failed attempts.", minutes, username[:150], address, limit)
            raise forms.ValidationError("Wrong username or password.", code="invalid")
        LoginAttempt.objects.filter(username__iexact=username).delete()
        return data
