from __future__ import annotations

from django.conf import settings
from django.db import models


class Heartbeat(models.Model):
    """Last time a component proved it was alive (the worker runs a task to say so)."""

    name = models.CharField(max_length=40, unique=True)
    seen_at = models.DateTimeField()
    detail = models.CharField(max_length=200, blank=True)

    def __str__(self) -> str:
        return f"{self.name} @ {self.seen_at:%Y-%m-%d %H:%M:%S}"


class LoginAttempt(models.Model):
    """Every failed sign-in, kept in the database so a lock survives restarts and processes."""

    username = models.CharField(max_length=150, db_index=True)
    address = models.CharField(max_length=64, db_index=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self) -> str:
        return f"{self.username} from {self.address}"


class AdminSeat(models.Model):
    """The one admin of an install: a single row with a fixed key, created in the same
    transaction as the superuser, so a second concurrent setup fails in the database."""

    ONE = 1

    id = models.PositiveSmallIntegerField(primary_key=True, default=ONE)
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                null=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.CheckConstraint(condition=models.Q(id=1), name="one_admin_seat")]

    def __str__(self) -> str:
        return f"admin seat taken {self.created_at:%Y-%m-%d %H:%M}"


class Onboarding(models.Model):
    """Where the first-run wizard is (one row), so leaving and coming back resumes there."""

    ONE = 1

    id = models.PositiveSmallIntegerField(primary_key=True, default=ONE)
    step = models.CharField(max_length=20, default="plex")
    skipped = models.JSONField(default=list, blank=True)
    history_run_id = models.PositiveIntegerField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return "onboarding finished" if self.finished_at else f"onboarding at {self.step}"

    @classmethod
    def load(cls) -> Onboarding:
        return cls.objects.get_or_create(pk=cls.ONE)[0]
