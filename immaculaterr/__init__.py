"""Immaculaterr: a self-hosted Plex autopilot."""

from immaculaterr.celery import app as celery_app

__all__ = ("celery_app",)
