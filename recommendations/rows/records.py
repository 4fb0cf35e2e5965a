"""What private rows and row identity keep in the database (models of the recommendations app,
exported by recommendations.models): each row's collection, the switch, and the share filters as
they were before our first change."""

from __future__ import annotations

from django.db import models


class RowCollection(models.Model):
    """The Plex collection that is one viewer's row of one kind in one library: identity by rating
    key, not title (two viewers may share a name; a viewer may be renamed). Keyed by the server
    account id, so a departed viewer's rows can still be found and removed."""

    account_id = models.IntegerField()
    library_key = models.PositiveIntegerField()
    kind = models.CharField(max_length=20)
    rating_key = models.PositiveIntegerField()
    title = models.CharField(max_length=300)
    labelled = models.BooleanField(default=False, help_text="Carries the private label.")
    # The items in the order the last sync left them (comma-separated rating keys; blank when
    # unknown). It lets a sync recreate the row without reading it first (a daily reshuffle),
    # and, while `confirmed_at` is recent, keep a row that still holds that many items without
    # reading it (recommendations.rows.data.TRUST_DAYS).
    order = models.TextField(blank=True, default="", editable=False)
    # When a whole read of the row in Plex last showed `order` (None: only sent, or unknown).
    confirmed_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["account_id", "library_key", "kind"],
                                               name="one_collection_per_row")]

    def __str__(self) -> str:
        return self.title


class PrivateRows(models.Model):
    """The Private rows switch (one row), off by default."""
    enabled = models.BooleanField(default=False)
    changed_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return "Private rows on" if self.enabled else "Private rows off"

    @classmethod
    def load(cls) -> PrivateRows:
        return cls.objects.get_or_create(pk=1)[0]


class ShareFilterSnapshot(models.Model):
    """A share filter (account, section type) before our first change; "off" puts it back."""
    plextv_id = models.BigIntegerField()
    media = models.CharField(max_length=10)  # movie | show
    account = models.CharField(max_length=200, blank=True)
    original = models.TextField(blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["plextv_id", "media"],
                                               name="one_snapshot_per_share_filter")]

    def __str__(self) -> str:
        return f"{self.account} ({self.media})"
