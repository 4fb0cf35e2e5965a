"""The sweeper (runs whose worker died become interrupted, their locks freed) and pruning."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from jobs import conf
from jobs.models import JobRun, LogLine, ScopeLock, Status, WebhookReceipt

logger = logging.getLogger("jobs")

INTERRUPTED = "The worker running this job stopped (no heartbeat); the run was interrupted."


def sweep(now=None) -> list[int]:
    """Mark running runs without a recent heartbeat interrupted and free their locks."""
    now = now or timezone.now()
    stale = now - timedelta(seconds=conf.get("JOBS_STALE_SECONDS"))
    swept = []
    for run in JobRun.objects.filter(status=Status.RUNNING, heartbeat_at__lt=stale):
        with transaction.atomic():
            changed = JobRun.objects.filter(
                pk=run.pk, status=Status.RUNNING, heartbeat_at__lt=stale).update(
                status=Status.INTERRUPTED, reason_code="worker_lost", reason=INTERRUPTED,
                finished_at=now)
            if changed:
                ScopeLock.objects.filter(run=run).delete()
                LogLine.objects.create(run=run, job=run.job, level=logging.WARNING,
                                       message=INTERRUPTED)
                swept.append(run.pk)
    if swept:
        logger.warning("Marked runs %s interrupted", swept)
    return swept


def prune(now=None) -> int:
    """Forget runs (and their lines) past the retention period, and old webhook digests."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=conf.get("JOBS_RETENTION_DAYS"))
    old = JobRun.objects.filter(created_at__lt=cutoff).exclude(status__in=[Status.QUEUED,
                                                                          Status.RUNNING])
    deleted = old.delete()[1].get("jobs.JobRun", 0)
    LogLine.objects.filter(run__isnull=True, at__lt=cutoff).delete()
    receipts_cutoff = now - timedelta(seconds=conf.get("JOBS_WEBHOOK_DEDUPE_SECONDS") * 2)
    WebhookReceipt.objects.filter(received_at__lt=receipts_cutoff).delete()
    return deleted
