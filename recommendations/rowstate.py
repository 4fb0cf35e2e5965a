"""What the row sync remembers between runs: the admin's posters and the poster each collection
shows (so an unchanged poster is never uploaded again)."""

from __future__ import annotations

from django.db import models

from recommendations.rows_plan import KINDS

ROW_KINDS = [(k, k.replace("_", " ").capitalize()) for k in KINDS]

__all__ = ["RowPoster", "RowPosterUpload"]


class RowPoster(models.Model):
    """A poster the admin uploaded for one row kind; it replaces the drawn artwork."""

    kind = models.CharField(max_length=20, choices=ROW_KINDS, unique=True)
    image = models.BinaryField()
    content_type = models.CharField(max_length=20)
    sha256 = models.CharField(max_length=64)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    stamp_name = models.BooleanField(
        default=True, help_text="Print the viewer's name on it, so rows on Friends' Home "
                                "can be told apart.")
    uploaded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "row poster"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} poster"


class RowPosterUpload(models.Model):
    """The poster last sent to one Plex collection (by rating key), as a SHA-256."""

    collection_rating_key = models.PositiveIntegerField(unique=True)
    section_key = models.PositiveIntegerField()
    title = models.CharField(max_length=300)
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "row poster upload"

    def __str__(self) -> str:
        return self.title
