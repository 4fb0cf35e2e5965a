"""Recommendation settings, the TMDB cache, the per-viewer datasets, the missing titles sent on
to Radarr/Sonarr/Overseerr, and what the row sync remembers between runs (the admin's posters
and the poster each collection shows)."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from recommendations.rows.records import PrivateRows as PrivateRows  # the rows' own records
from recommendations.rows.records import RowCollection as RowCollection
from recommendations.rows.records import ShareFilterSnapshot as ShareFilterSnapshot
from recommendations.types import KINDS

ROW_KINDS = [(k, k.replace("_", " ").capitalize()) for k in KINDS]
MEDIA_TYPES = [("movie", "Movie"), ("show", "Show")]


def bounded(default: int, low: int, high: int, help_text: str) -> models.PositiveIntegerField:
    return models.PositiveIntegerField(
        default=default, help_text=help_text,
        validators=[MinValueValidator(low), MaxValueValidator(high)])


class RecommendationSettings(models.Model):
    """The Command Center dials (one row)."""

    suggestions_per_run = bounded(10, 5, 100, "Titles each run suggests (5–100).")
    upcoming_percent = bounded(
        25, 0, 75, "Share of suggestions that may be upcoming releases (0–75%); released "
        "titles always stay at least 25%.")
    max_points = bounded(50, 1, 100, "Points a title gets when (re)suggested or activated "
                         "(1–100); it loses one per update until it leaves at 0.")
    collection_limit = bounded(15, 1, 200, "Most titles a Based on Latest Watched row holds "
                               "(1–200).")
    tmdb_request_budget = bounded(120, 10, 1000, "Most TMDB requests one run may make "
                                  "(10–1000; cached answers are free).")

    class Meta:
        verbose_name = verbose_name_plural = "recommendation settings"

    def __str__(self) -> str:
        return "Recommendation settings"

    def save(self, *args, **kwargs):
        self.pk = 1
        super().save(*args, **kwargs)

    @classmethod
    def load(cls) -> RecommendationSettings:
        obj, _ = cls.objects.get_or_create(pk=1)
        return obj


class TmdbCacheEntry(models.Model):
    """One TMDB answer, kept until `expires_at` so a repeated seed costs almost no requests."""

    key = models.CharField(max_length=255, unique=True)
    endpoint = models.CharField(max_length=40, db_index=True)
    payload = models.JSONField()
    fetched_at = models.DateTimeField()
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = verbose_name_plural = "TMDB cache"

    def __str__(self) -> str:
        return self.key


class Status(models.TextChoices):
    PENDING = "pending", "Pending (not in Plex)"
    ACTIVE = "active", "Active (in Plex)"


class Approval(models.TextChoices):
    NONE = "none", "None"
    PENDING = "pending", "Awaiting approval"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"


class SuggestedTitle(models.Model):
    """The title identity and TMDB metadata both datasets keep."""

    viewer = models.ForeignKey("vault.PlexViewer", on_delete=models.CASCADE, related_name="+")
    library = models.ForeignKey("vault.PlexLibrary", on_delete=models.CASCADE, related_name="+")
    media_type = models.CharField(max_length=5, choices=MEDIA_TYPES)
    tmdb_id = models.PositiveIntegerField()
    tvdb_id = models.PositiveIntegerField(null=True, blank=True)
    imdb_id = models.CharField(max_length=20, blank=True)  # matches legacy-agent Plex items
    title = models.CharField(max_length=300)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    release_date = models.DateField(null=True, blank=True)
    vote_average = models.FloatField(default=0.0)
    vote_count = models.PositiveIntegerField(default=0)
    poster_path = models.CharField(max_length=200, blank=True)
    rating_key = models.IntegerField(null=True, blank=True)
    why = models.CharField(max_length=300, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.title} ({self.year})" if self.year else self.title


class ImmaculateTasteTitle(SuggestedTitle):
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    points = models.IntegerField(default=0)
    approval = models.CharField(max_length=8, choices=Approval.choices, default=Approval.NONE)
    first_suggested_at = models.DateTimeField()
    last_suggested_at = models.DateTimeField()
    sent_radarr_at = models.DateTimeField(null=True, blank=True)
    sent_sonarr_at = models.DateTimeField(null=True, blank=True)
    sent_overseerr_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(
            fields=["viewer", "library", "media_type", "tmdb_id"], name="immaculate_title_once")]
        indexes = [models.Index(fields=["viewer", "library", "media_type", "status"])]


class ListKind(models.TextChoices):
    RECENTLY_WATCHED = "recently_watched", "Based on your recently watched"
    CHANGE_OF_TASTE = "change_of_taste", "Change of Taste"


class LatestWatchedTitle(SuggestedTitle):
    """A snapshot row: each Based on Latest Watched run replaces the viewer+library's rows."""

    list_kind = models.CharField(max_length=16, choices=ListKind.choices)
    position = models.PositiveIntegerField()
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    suggested_at = models.DateTimeField()

    class Meta:
        ordering = ["list_kind", "position"]
        constraints = [models.UniqueConstraint(
            fields=["viewer", "library", "media_type", "list_kind", "tmdb_id"],
            name="latest_watched_title_once")]


class RejectedTitle(models.Model):
    """Never suggested to this viewer again, until the rejected list is reset."""

    viewer = models.ForeignKey("vault.PlexViewer", on_delete=models.CASCADE, related_name="+")
    media_type = models.CharField(max_length=5, choices=MEDIA_TYPES)
    tmdb_id = models.PositiveIntegerField()
    title = models.CharField(max_length=300, blank=True)
    rejected_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["viewer", "media_type", "tmdb_id"],
                                               name="rejected_title_once")]

    def __str__(self) -> str:
        return self.title or f"tmdb {self.tmdb_id}"


class Route(models.TextChoices):
    RADARR = "radarr", "Radarr"
    SONARR = "sonarr", "Sonarr"
    OVERSEERR = "overseerr", "Overseerr"


class SendState(models.TextChoices):
    AWAITING_APPROVAL = "awaiting_approval", "Waiting for approval"
    TO_SEND = "to_send", "To send"  # approved, or approval off; not sent yet (service down)
    SENT = "sent", "Sent"
    ALREADY_THERE = "already_there", "Already there"
    REMONITORED = "remonitored", "Monitored again"
    FAILED = "failed", "Failed"  # the service refused it (not a fault): reason says why
    REJECTED = "rejected", "Rejected"


class MissingSend(models.Model):
    """A title a run found missing from Plex, and where it was sent: one row per viewer, media
    type, TMDB id and route, so a title is sent once per route (Latest Watched snapshots
    replace their dataset rows; this outlives them). A row whose request was removed (reset)
    is deleted, so the title may be sent again."""

    viewer = models.ForeignKey("vault.PlexViewer", on_delete=models.CASCADE, related_name="+")
    library = models.ForeignKey("vault.PlexLibrary", null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="+")
    media_type = models.CharField(max_length=5, choices=MEDIA_TYPES)
    tmdb_id = models.PositiveIntegerField()
    tvdb_id = models.PositiveIntegerField(null=True, blank=True)
    title = models.CharField(max_length=300)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    poster_path = models.CharField(max_length=200, blank=True)
    why = models.CharField(max_length=300, blank=True)
    task = models.CharField(max_length=60, help_text="The job whose run found it")
    route = models.CharField(max_length=10, choices=Route.choices)
    state = models.CharField(max_length=20, choices=SendState.choices)
    service_id = models.PositiveIntegerField(
        null=True, blank=True, help_text="Radarr movie id, Sonarr series id or Overseerr "
                                         "request id")
    search_now = models.BooleanField(default=False, help_text="Direct: start a search once "
                                                              "added (the task's setting)")
    added_by_us = models.BooleanField(default=False, help_text="We created it (an undo may "
                                                               "remove it)")
    requested_as = models.PositiveIntegerField(null=True, blank=True,
                                               help_text="Overseerr user id it was credited to")
    requested_as_name = models.CharField(max_length=200, blank=True)
    reason = models.CharField(max_length=500, blank=True)
    answer = models.JSONField(default=dict, blank=True, help_text="The service's answer, trimmed")
    undo = models.JSONField(default=dict, blank=True,
                            help_text="What a reject removed, so its undo can put it back")
    attempts = models.PositiveIntegerField(default=0)
    found_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "missing title sent"
        verbose_name_plural = "missing titles sent"
        constraints = [models.UniqueConstraint(fields=["viewer", "media_type", "tmdb_id", "route"],
                                               name="missing_send_once_per_route")]
        indexes = [models.Index(fields=["state", "route"])]

    def __str__(self) -> str:
        name = f"{self.title} ({self.year})" if self.year else self.title
        return f"{name} → {self.get_route_display()}: {self.get_state_display()}"


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


