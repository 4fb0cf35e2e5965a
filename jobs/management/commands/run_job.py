"""python manage.py run_job KEY [...]: queue a job (or run it here with --sync) and print its
report."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError

from jobs import registry, runner, vaultlink
from jobs.context import Scope
from jobs.dispatch import dispatch
from jobs.models import JobRun, Status, Trigger
from jobs.textreport import render_text

OK = (Status.SUCCEEDED, Status.SKIPPED, Status.PARTIAL)


class Command(BaseCommand):
    help = ("Run a job by key: queue it for a worker and wait for it (or run it in this process "
            "with --sync), then print its report. Exit status 0 when it succeeded, was partial "
            "or skipped, 1 when it failed.")

    def add_arguments(self, parser):
        parser.add_argument("key", nargs="?", help="the job key (run without it to list jobs)")
        parser.add_argument("--media-type", choices=["movie", "tv"])
        parser.add_argument("--seed-title")
        parser.add_argument("--seed-year", type=int)
        parser.add_argument("--seed-rating-key")
        parser.add_argument("--viewer", help="a viewer's name or Plex account id")
        parser.add_argument("--library", help="a Plex library (section) key")
        parser.add_argument("--dry-run", action="store_true",
                            help="compute everything, write nothing")
        parser.add_argument("--sync", action="store_true", help="run here, not on a worker")
        parser.add_argument("--no-wait", action="store_true",
                            help="queue and exit without waiting for the report")
        parser.add_argument("--timeout", type=float, default=1800,
                            help="seconds to wait for a queued run (default 1800)")

    def handle(self, *args, **opts):
        spec = self._spec(opts["key"])
        seed = self._seed(spec, opts)
        scope = self._scope(opts, seed)
        run = dispatch(spec.key, trigger=Trigger.CLI, scope=scope, seed=seed,
                       dry_run=opts["dry_run"], enqueue_now=not opts["sync"])
        if opts["sync"]:
            runner.execute(run.pk, sync=True)
        elif opts["no_wait"]:
            self.stdout.write(f"Queued run #{run.pk} of {spec.key}.")
            return
        else:
            self.stdout.write(f"Queued run #{run.pk}; waiting for a worker…")
            self._wait(run.pk, opts["timeout"])
        run.refresh_from_db()
        self.stdout.write(render_text(run))
        if run.status not in OK:
            raise CommandError(f"Run #{run.pk} {run.status}: {run.reason or run.reason_code}",
                               returncode=1)

    def _spec(self, key: str | None):
        if not key:
            raise CommandError(self._known("Give a job key."))
        try:
            return registry.get(key)
        except registry.UnknownJob:
            raise CommandError(self._known(f"Unknown job {key!r}.")) from None

    @staticmethod
    def _known(first: str) -> str:
        lines = [first, "Known jobs:"]
        for spec in registry.all_jobs():
            seed = " (needs --seed-title/--seed-year or --seed-rating-key)" if spec.needs_seed \
                else ""
            lines.append(f"  {spec.key:<30} {spec.name}{seed}")
        return "\n".join(lines)

    @staticmethod
    def _seed(spec, opts) -> dict:
        title, key = opts.get("seed_title"), opts.get("seed_rating_key")
        if opts.get("seed_year") and not title:
            raise CommandError("--seed-year goes with --seed-title.")
        if spec.needs_seed and not (title or key):
            raise CommandError(f"{spec.key} needs a seed: --seed-title T [--seed-year Y] or "
                               f"--seed-rating-key K.")
        if not spec.needs_seed and (title or key):
            raise CommandError(f"{spec.key} takes no seed.")
        if not (title or key):
            return {}
        seed = {"title": title or "", "year": opts.get("seed_year"),
                "media_type": opts.get("media_type") or "movie", "source": "cli"}
        if key:
            seed["rating_key"] = str(key)
        return seed

    @staticmethod
    def _scope(opts, seed: dict) -> Scope:
        viewer = library = None
        if opts.get("viewer"):
            viewer = vaultlink.find_viewer(opts["viewer"])
            if viewer is None:
                names = ", ".join(f"{v.name} ({v.account_id})" for v in vaultlink.all_viewers())
                raise CommandError(f"No viewer {opts['viewer']!r}. Known: {names or 'none'}.")
        if opts.get("library"):
            library = vaultlink.library(opts["library"])
            if library is None:
                keys = ", ".join(f"{lib.key} {lib.title}" for lib in vaultlink.all_libraries())
                raise CommandError(f"No library {opts['library']!r}. Known: {keys or 'none'}.")
        media = opts.get("media_type") or seed.get("media_type") or ""
        return Scope.of(viewer, library, media or vaultlink.media_type_of(library))

    def _wait(self, run_id: int, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if JobRun.objects.get(pk=run_id).status not in (Status.QUEUED, Status.RUNNING):
                return
            time.sleep(1)
        raise CommandError(f"Run #{run_id} did not finish within {timeout:g} s; "
                           f"see Rewind for its progress.")
