"""The Vault's rows: integration settings (secrets encrypted) and the mirror of Plex state."""

from __future__ import annotations

from django.db import models

SERVICES = [("plex", "Plex"), ("tmdb", "TMDB"), ("openai", "OpenAI"),
            ("google", "Google Programmable Search"), ("radarr", "Radarr"),
            ("sonarr", "Sonarr"), ("overseerr", "Overseerr")]


class Integration(models.Model):
    """One outside service. `settings` holds non-secret values; `secrets` maps a field name to
    its ciphertext (vault.crypto), never to plain text."""

    service = models.CharField(max_length=20, choices=SERVICES, unique=True)
    enabled = models.BooleanField(default=False)
    settings = models.JSONField(default=dict, blank=True)
    secrets = models.JSONField(default=dict, blank=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.get_service_display()


class PlexViewer(models.Model):
    KINDS = [("owner", "Owner"), ("shared", "Shared"), ("managed", "Managed")]

    account_id = models.IntegerField(unique=True, help_text="The server's account id (owner: 1).")
    name = models.CharField(max_length=200)
    is_owner = models.BooleanField(default=False)
    kind = models.CharField(max_length=10, choices=KINDS, default="shared")
    monitored = models.BooleanField(default=True)
    present = models.BooleanField(default=True, help_text="Still known to the Plex server.")
    plextv_id = models.BigIntegerField(null=True, blank=True)
    synced_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-is_owner", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_admin(self) -> bool:
        return self.is_owner


class PlexLibrary(models.Model):
    KINDS = [("movie", "Movies"), ("show", "TV shows")]

    key = models.CharField(max_length=20, unique=True)
    kind = models.CharField(max_length=10, choices=KINDS)
    title = models.CharField(max_length=200)
    selected = models.BooleanField(default=True)  # exclusion-based: new libraries are included
    present = models.BooleanField(default=True, help_text="Still a library on the server.")
    uuid = models.CharField(max_length=64, blank=True)
    agent = models.CharField(max_length=100, blank=True)
    # what Plex reported at the last library sync, and what the index was built from
    plex_updated_at = models.BigIntegerField(default=0)
    plex_content_changed_at = models.BigIntegerField(default=0)
    indexed_updated_at = models.BigIntegerField(default=0)
    indexed_content_changed_at = models.BigIntegerField(default=0)
    item_high_water = models.BigIntegerField(default=0, help_text="Newest item updatedAt seen.")
    generation = models.IntegerField(default=0)
    item_count = models.IntegerField(default=0)
    indexed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["kind", "title"]
        verbose_name_plural = "Plex libraries"

    def __str__(self) -> str:
        return self.title

    @property
    def needs_index(self) -> bool:
        return self.indexed_at is None or (
            self.plex_updated_at, self.plex_content_changed_at) != (
            self.indexed_updated_at, self.indexed_content_changed_at)


class PlexItem(models.Model):
    """A movie or show of a Plex library, with the ids that match it to TMDB."""

    library = models.ForeignKey(PlexLibrary, on_delete=models.CASCADE, related_name="items")
    rating_key = models.IntegerField()
    kind = models.CharField(max_length=10)
    title = models.CharField(max_length=500)
    year = models.IntegerField(null=True, blank=True)
    guid = models.CharField(max_length=300, blank=True)
    tmdb_id = models.IntegerField(null=True, blank=True, db_index=True)
    imdb_id = models.CharField(max_length=20, blank=True)
    tvdb_id = models.IntegerField(null=True, blank=True, db_index=True)
    duration_ms = models.BigIntegerField(null=True, blank=True)
    added_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.BigIntegerField(default=0, help_text="Plex updatedAt (epoch seconds).")
    originally_available_at = models.DateField(null=True, blank=True)
    versions = models.JSONField(default=list, blank=True)
    generation = models.IntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["library", "rating_key"],
                                               name="vault_item_unique_per_library")]
        indexes = [models.Index(fields=["library", "tmdb_id"], name="vault_item_lib_tmdb"),
                   models.Index(fields=["library", "imdb_id"], name="vault_item_lib_imdb"),
                   models.Index(fields=["library", "tvdb_id"], name="vault_item_lib_tvdb")]
        ordering = ["title"]

    def __str__(self) -> str:
        return f"{self.title} ({self.year})" if self.year else self.title
