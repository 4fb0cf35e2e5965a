"""What the admin decided on a card. Saved at once; its effect (a send, the rows) is applied
by a debounced task, so a burst of swipes costs one row sync."""

from __future__ import annotations

from django.db import models

from recommendations.models import MEDIA_TYPES


class Pass(models.TextChoices):
    APPROVAL = "approval", "Approval"
    REVIEW = "review", "Review"


class Action(models.TextChoices):
    APPROVE = "approve", "Approve"
    REJECT = "reject", "Reject"
    KEEP = "keep", "Keep"
    REMOVE = "remove", "Remove"


class Decision(models.Model):
    viewer = models.ForeignKey("vault.PlexViewer", on_delete=models.CASCADE, related_name="+")
    library = models.ForeignKey("vault.PlexLibrary", on_delete=models.CASCADE, related_name="+")
    media_type = models.CharField(max_length=5, choices=MEDIA_TYPES)
    tmdb_id = models.PositiveIntegerField()
    title = models.CharField(max_length=300, blank=True)
    deck_pass = models.CharField("pass", max_length=8, choices=Pass.choices)
    action = models.CharField(max_length=8, choices=Action.choices)
    decided_at = models.DateTimeField(auto_now_add=True)
    applied_at = models.DateTimeField(null=True, blank=True)
    send_started_at = models.DateTimeField(
        null=True, blank=True, help_text="When the apply began sending an approved title; an "
        "undo from then on cannot take back what the service already took")
    undone = models.BooleanField(default=False)
    effect = models.JSONField(default=dict, blank=True,
                              help_text="What it changed, so an undo can put it back")

    class Meta:
        indexes = [models.Index(fields=["viewer", "library", "media_type", "undone"]),
                   models.Index(fields=["viewer", "library", "applied_at"])]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.title or self.tmdb_id}"
