"""What a job function receives: its run, scope, seed, dry-run flag, settings, report, and
helpers for progress, log lines and chaining. The same object serves Celery, run_job --sync
and tests."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from time import monotonic

from django.conf import settings as django_settings
from django.utils import timezone

from jobs import locks
from jobs.errors import JobCancelled
from jobs.models import JobRun, LogLine
from jobs.report import Report

logger = logging.getLogger("jobs")

# The report so far is saved at most this often (on a progress call or on entering a step),
# and whole when the run ends: a dead worker loses at most these seconds of it. Saving it on
# every progress call rewrote a sweep's whole report after each viewer x library.
REPORT_EVERY = 5.0  # seconds


@dataclass(frozen=True)
class Scope:
    viewer_account_id: int | None = None
    viewer_name: str = ""
    library_key: str = ""
    library_title: str = ""
    media_type: str = ""

    @classmethod
    def of_run(cls, run: JobRun) -> Scope:
        return cls(run.viewer_account_id, run.viewer_name, run.library_key, run.library_title,
                   run.media_type)

    @classmethod
    def of(cls, viewer=None, library=None, media_type: str = "") -> Scope:
        """From vault models (PlexViewer, PlexLibrary) or None."""
        kind = getattr(library, "kind", "")
        return cls(
            viewer_account_id=getattr(viewer, "account_id", None),
            viewer_name=getattr(viewer, "name", "") or "",
            library_key=str(getattr(library, "key", "") or ""),
            library_title=getattr(library, "title", "") or "",
            media_type=media_type or {"movie": "movie", "show": "tv"}.get(kind, ""),
        )

    @property
    def is_targeted(self) -> bool:
        return self.viewer_account_id is not None and bool(self.library_key)

    def fields(self) -> dict:
        return {"viewer_account_id": self.viewer_account_id, "viewer_name": self.viewer_name,
                "library_key": self.library_key, "library_title": self.library_title,
                "media_type": self.media_type}

    @property
    def label(self) -> str:
        who = self.viewer_name or (str(self.viewer_account_id)
                                   if self.viewer_account_id is not None else "")
        return " · ".join(p for p in (who, self.library_title or self.library_key) if p)


@dataclass
class JobContext:
    run: JobRun
    scope: Scope
    dry_run: bool
    report: Report = field(default_factory=Report)
    seed: dict = field(default_factory=dict)
    sync: bool = False
    settings: object = django_settings
    chained: list = field(default_factory=list)
    held_locks: list = field(default_factory=list)  # (key, token) taken by narrow()
    report_saved_at: float | None = None  # monotonic() of the last save_report()

    @classmethod
    def for_run(cls, run: JobRun, sync: bool = False) -> JobContext:
        ctx = cls(run=run, scope=Scope.of_run(run), dry_run=run.dry_run,
                  report=Report(run.report or None), seed=dict(run.seed or {}), sync=sync)
        ctx.report.checkpoint = ctx.at_step
        return ctx

    def at_step(self, step: str = "") -> None:
        """Entering a step: stop if cancelled, and save the report so far when it is due."""
        self.check_cancelled(step)
        if self.report_due():
            self.save_report()

    def check_cancelled(self, step: str = "") -> None:
        """Stop here if someone cancelled the run (one indexed query, on entering a step)."""
        if JobRun.objects.filter(pk=self.run.pk, cancel_requested_at__isnull=False).exists():
            raise JobCancelled(step)

    @property
    def job(self) -> str:
        return self.run.job

    def progress(self, step: str | None = None, current: int | None = None,
                 total: int | None = None) -> None:
        """Record where the run is (also a heartbeat): the progress columns, and the report so
        far only when it was last saved REPORT_EVERY seconds ago or more."""
        changes = {"heartbeat_at": timezone.now()}
        if step is not None:
            changes["step"] = step[:120]
        if current is not None:
            changes["current"] = max(0, int(current))
        if total is not None:
            changes["total"] = max(0, int(total))
        if self.report_due():
            changes["report"] = self.report.as_dict()
            self.report_saved_at = monotonic()
        for name, value in changes.items():
            setattr(self.run, name, value)
        JobRun.objects.filter(pk=self.run.pk).update(**changes)

    def report_due(self) -> bool:
        return self.report_saved_at is None or \
            monotonic() - self.report_saved_at >= REPORT_EVERY

    def save_report(self) -> None:
        """Write the report so far (the runner writes it whole when the run ends)."""
        self.run.report = self.report.as_dict()
        JobRun.objects.filter(pk=self.run.pk).update(report=self.run.report)
        self.report_saved_at = monotonic()

    def log(self, message: str, level: int = logging.INFO) -> None:
        logger.log(level, "[%s #%s] %s", self.job, self.run.pk, message)
        LogLine.objects.create(run=self.run, job=self.job, level=level, message=message[:4000])

    def narrow(self, scope: Scope) -> None:
        """A run started without a full scope found its viewer and library (a seeded Run now
        defaults to the owner and the seed's library): lock that real scope first (raises
        locks.ScopeBusy while another run holds it; the runner then waits or skips), then
        record it, so Rewind shows it. The lock is held until the run ends."""
        if scope == self.scope:
            return
        key = locks.scope_key(self.job, scope.viewer_account_id, scope.library_key)
        initial = locks.scope_key(self.job, self.run.viewer_account_id, self.run.library_key)
        if key != initial and key not in {k for k, _ in self.held_locks}:
            token = locks.acquire(key, self.run)
            if token is None:
                raise locks.ScopeBusy(key)
            self.held_locks.append((key, token))
        self.scope = scope
        for name, value in scope.fields().items():
            setattr(self.run, name, value)
        JobRun.objects.filter(pk=self.run.pk).update(**scope.fields())
        self.log(f"Scope: {scope.label}.")

    def release_locks(self) -> None:
        while self.held_locks:
            locks.release(*self.held_locks.pop())

    def chain(self, key: str, scope: Scope | None = None) -> None:
        """Ask for a follow-up run (trigger "chained", same dry-run flag) once this one ends
        well; it keeps this run's viewer and library unless told otherwise."""
        self.chained.append((key, scope or self.scope))
