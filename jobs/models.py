"""Runs, their log lines, scope locks, durable dedupe and the state the triggers remember."""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class Trigger(models.TextChoices):
    MANUAL = "manual", "Manual"
    AUTO = "auto", "Auto (Plex)"
    SCHEDULE = "schedule", "Schedule"
    CHAINED = "chained", "Chained"
    CLI = "cli", "Command line"


class Status(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    SUCCEEDED = "succeeded", "Succeeded"
    PARTIAL = "partial", "Partial"
    SKIPPED = "skipped", "Skipped"
    FAILED = "failed", "Failed"
    INTERRUPTED = "interrupted", "Interrupted"
    CANCELLED = "cancelled", "Cancelled"


ACTIVE = (Status.QUEUED, Status.RUNNING)
FINISHED = (Status.SUCCEEDED, Status.PARTIAL, Status.SKIPPED, Status.FAILED, Status.INTERRUPTED,
            Status.CANCELLED)


class MediaType(models.TextChoices):
    MOVIE = "movie", "Movie"
    TV = "tv", "TV"


class JobRun(models.Model):
    """One execution of a job. Scope is stored by value (account id, section key) so history
    survives viewers and libraries being removed."""

    job = models.CharField(max_length=60, db_index=True)
    trigger = models.CharField(max_length=10, choices=Trigger.choices)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.QUEUED,
                              db_index=True)
    dry_run = models.BooleanField(default=False)

    viewer_account_id = models.IntegerField(null=True, blank=True)
    viewer_name = models.CharField(max_length=200, blank=True)
    library_key = models.CharField(max_length=40, blank=True)
    library_title = models.CharField(max_length=200, blank=True)
    media_type = models.CharField(max_length=5, choices=MediaType.choices, blank=True)
    seed = models.JSONField(default=dict, blank=True)
    seed_title = models.CharField(max_length=300, blank=True)
    item_key = models.CharField(max_length=40, blank=True, help_text="Plex item that triggered it")

    reason_code = models.CharField(max_length=60, blank=True)
    reason = models.TextField(blank=True)
    step = models.CharField(max_length=120, blank=True)
    current = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    report = models.JSONField(default=dict, blank=True)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="children")

    repeats = models.PositiveIntegerField(default=0, help_text="Later reports of the same "
                                          "already-processed watch, counted here, not as runs")
    attempts = models.PositiveSmallIntegerField(default=0)
    lock_waits = models.PositiveIntegerField(default=0)
    worker = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    cancel_requested_at = models.DateTimeField(null=True, blank=True, help_text="Someone "
                                               "asked to cancel; the worker stops at its next "
                                               "step")

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["job", "-created_at"]),
                   models.Index(fields=["status", "heartbeat_at"])]

    def __str__(self) -> str:
        return f"#{self.pk} {self.job} {self.status}"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE

    @property
    def percent(self) -> int:
        if self.status in FINISHED:
            return 100
        return int(100 * self.current / self.total) if self.total else 0

    @property
    def duration_s(self) -> float | None:
        if not self.started_at:
            return None
        end = self.finished_at or timezone.now()
        return round((end - self.started_at).total_seconds(), 1)

    @property
    def scope_label(self) -> str:
        parts = [self.viewer_name or (f"account {self.viewer_account_id}"
                                      if self.viewer_account_id is not None else "")]
        parts.append(self.library_title or self.library_key)
        parts.append(self.get_media_type_display() if self.media_type else "")
        return " · ".join(p for p in parts if p) or "all viewers and libraries"


class LogLine(models.Model):
    run = models.ForeignKey(JobRun, null=True, blank=True, on_delete=models.CASCADE,
                            related_name="lines")
    job = models.CharField(max_length=60, blank=True, db_index=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)
    level = models.PositiveSmallIntegerField(default=20)
    message = models.TextField()

    class Meta:
        ordering = ["-pk"]

    def __str__(self) -> str:
        return self.message[:80]

    @property
    def level_name(self) -> str:
        import logging

        return logging.getLevelName(self.level)


class ScopeLock(models.Model):
    """Held by one run (owner token) while it works on a (job, viewer, library) scope."""

    key = models.CharField(max_length=200, unique=True)
    owner = models.CharField(max_length=64)
    run = models.ForeignKey(JobRun, null=True, blank=True, on_delete=models.CASCADE,
                            related_name="locks")
    acquired_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.key


class ProcessedItem(models.Model):
    """An auto run that succeeded for this (job, viewer, library, item): never auto-run again.
    Kept apart from runs so pruning history never re-opens a watch."""

    job = models.CharField(max_length=60)
    viewer_account_id = models.IntegerField()
    library_key = models.CharField(max_length=40)
    item_key = models.CharField(max_length=40)
    run = models.ForeignKey(JobRun, null=True, blank=True, on_delete=models.SET_NULL)
    # The one skipped run that stands for every later report of this watch (its `repeats`).
    skip_run = models.ForeignKey(JobRun, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(
            fields=["job", "viewer_account_id", "library_key", "item_key"],
            name="jobs_processed_once")]

    def __str__(self) -> str:
        return f"{self.job} {self.viewer_account_id}/{self.library_key}/{self.item_key}"


class JobSetting(models.Model):
    """Per-job switches the Task Manager edits (the schedule lives in django-celery-beat)."""

    DIRECT, OVERSEERR = "direct", "overseerr"
    ROUTES = ((DIRECT, "Radarr for movies, Sonarr for TV"), (OVERSEERR, "Overseerr"))

    job = models.CharField(max_length=60, unique=True)
    auto_run = models.BooleanField(default=True)
    # Missing titles (Immaculate Taste and Based on Latest Watched): where they go
    fetch_missing = models.BooleanField(default=False, help_text="Send titles not in Plex on")
    route = models.CharField(max_length=10, choices=ROUTES, default=DIRECT)
    approval = models.BooleanField(default=False, help_text="Direct only: wait for approval "
                                                            "in the Observatory")
    search_now = models.BooleanField(default=False, help_text="Direct only: start a search "
                                                              "when a title is added")
    # Cleanup After Adding New Content: deleting the non-kept versions is off until the admin
    # turns it on (with a typed confirmation); the keep rule's order and preserve keywords
    delete_duplicates = models.BooleanField(default=False, help_text="Delete the versions "
                                            "the keep rule did not keep (through Plex)")
    keep_order = models.CharField(max_length=100, blank=True,
                                  default="resolution,hdr,codec,bitrate,size")
    preserve_keywords = models.CharField(max_length=200, blank=True,
                                         help_text="Comma-separated, e.g. 2160p, Remux")

    def __str__(self) -> str:
        return f"{self.job} auto_run={self.auto_run}"

    def save(self, *args, **kwargs):
        if self.route == self.OVERSEERR:  # Overseerr does the approving and the searching
            self.approval = self.search_now = False
        super().save(*args, **kwargs)

    @classmethod
    def of(cls, job: str) -> JobSetting:
        """The saved settings, or the defaults (unsaved) when the job has none yet."""
        return cls.objects.filter(job=job).first() or cls(job=job)


class SeenSession(models.Model):
    """The last poll's view of a Plex session, so its final offset is judged when it ends."""

    session_key = models.CharField(max_length=80, unique=True)
    account_id = models.IntegerField()
    rating_key = models.CharField(max_length=40)
    seed_key = models.CharField(max_length=40)
    library_key = models.CharField(max_length=40, blank=True)
    kind = models.CharField(max_length=10)
    title = models.CharField(max_length=300, blank=True)
    year = models.IntegerField(null=True, blank=True)
    duration_ms = models.BigIntegerField(default=0)
    offset_ms = models.BigIntegerField(default=0)
    fired = models.JSONField(default=list, blank=True)
    last_seen = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.session_key} {self.title}"


class WebhookReceipt(models.Model):
    """The digest of a recent webhook payload; a repeat within the window is dropped."""

    digest = models.CharField(max_length=64, unique=True)
    received_at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self) -> str:
        return self.digest


class InstallSecret(models.Model):
    """The per-install webhook token (generated on first use, regenerable)."""

    name = models.CharField(max_length=40, unique=True)
    value = models.CharField(max_length=100)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.name


class RecentlyAddedCheck(models.Model):
    """The recently-added check's memory (one row): what it has seen, and the burst of new
    items waiting for its debounce to end before one cleanup run takes them all."""

    name = models.CharField(max_length=40, unique=True, default="plex")
    seen_until = models.DateTimeField(null=True, blank=True, help_text="Newest addedAt seen")
    # addedAt has whole seconds: the items seen at seen_until, so one added later in that
    # same second is still new
    edge_keys = models.JSONField(default=list, blank=True)
    pending = models.JSONField(default=list, blank=True)  # [{"rating_key":…, "library":…}]
    pending_since = models.DateTimeField(null=True, blank=True)
    last_new_at = models.DateTimeField(null=True, blank=True)
    checked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name}: {len(self.pending)} pending"
