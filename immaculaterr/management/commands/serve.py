"""Run Immaculaterr: migrate, then web server + Celery worker + beat as child processes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from immaculaterr.backup import BackupFailed, before_migrate

ROLES = ("web", "worker", "beat")
PR_SET_PDEATHSIG = 1


def die_with_parent() -> None:
    """In the child, before exec: if serve itself is killed (SIGKILL, OOM), Linux sends this
    child SIGTERM instead of leaving an orphaned web server or worker running."""
    if sys.platform.startswith("linux"):
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def child_command(role: str, port: int) -> list[str]:
    py = sys.executable
    if role == "web":
        return [py, "-m", "waitress", f"--listen=0.0.0.0:{port}", "--threads=8",
                "--ident=immaculaterr", "immaculaterr.wsgi:application"]
    if role == "worker":
        return [py, "-m", "celery", "-A", "immaculaterr", "worker", "--loglevel=INFO",
                "--queues=celery", "--concurrency=2", "--without-mingle", "--without-gossip",
                f"--hostname=worker@{os.uname().nodename}"]
    if role == "triggers":
        return [py, "-m", "celery", "-A", "immaculaterr", "worker", "--loglevel=INFO",
                f"--queues={settings.TRIGGERS_QUEUE}", "--pool=solo", "--without-mingle",
                "--without-gossip", f"--hostname=triggers@{os.uname().nodename}"]
    return [py, "-m", "celery", "-A", "immaculaterr", "beat", "--loglevel=INFO",
            f"--schedule={settings.DATA_DIR / 'celerybeat-schedule'}",
            "--scheduler=django_celery_beat.schedulers:DatabaseScheduler"]


def child_commands(role: str, port: int) -> list[tuple[str, list[str]]]:
    """The processes of one role: the worker role is two consumers, the job worker (two slots)
    and the triggers worker (poll, sweeper, heartbeat), so jobs never delay a poll."""
    if role == "worker":
        return [("worker", child_command("worker", port)),
                ("triggers", child_command("triggers", port))]
    return [(role, child_command(role, port))]


class Command(BaseCommand):
    help = ("Apply migrations (after a SQLite snapshot when some are pending), then run the web "
            "server, a Celery worker and Celery beat until stopped.")

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=settings.PORT)
        parser.add_argument("--only", choices=ROLES, action="append",
                            help="Run only these parts (repeatable); default all three.")
        parser.add_argument("--no-migrate", action="store_true")

    def handle(self, *args, port: int, only: list[str] | None, no_migrate: bool, **opts):
        roles = only or list(ROLES)
        if not no_migrate:
            self.migrate()
        children = self.start(roles, port)
        self.stdout.write(f"Immaculaterr is running on http://0.0.0.0:{port}/ "
                          f"({', '.join(roles)}). Press Ctrl-C to stop.")
        code = self.supervise(children)
        if code:
            raise CommandError(code)

    def migrate(self) -> None:
        try:
            snapshot = before_migrate()
        except BackupFailed as exc:
            raise CommandError(f"Not migrating: {exc}.") from None
        if snapshot:
            self.stdout.write(f"Saved a pre-migration snapshot to {snapshot}")
        call_command("migrate", interactive=False, verbosity=0)

    def start(self, roles: list[str], port: int) -> dict[str, subprocess.Popen]:
        env = dict(os.environ, DJANGO_SETTINGS_MODULE="immaculaterr.settings")
        return {name: subprocess.Popen(argv, env=env, cwd=settings.BASE_DIR,
                                       start_new_session=True, preexec_fn=die_with_parent)
                for role in roles for name, argv in child_commands(role, port)}

    def supervise(self, children: dict[str, subprocess.Popen]) -> str:
        stopping: list[int] = []
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, lambda s, f: stopping.append(s))
        problem = ""
        while not stopping and not problem:
            time.sleep(0.5)
            for role, proc in children.items():
                if proc.poll() is not None:
                    problem = f"The {role} process exited with code {proc.returncode}; stopping."
                    break
        if problem:
            self.stderr.write(problem)
        self.stop(children)
        return problem

    def stop(self, children: dict[str, subprocess.Popen]) -> None:
        for proc in children.values():
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)  # celery then stops its own pool
        deadline = time.monotonic() + 20
        for proc in children.values():
            try:
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        self.stdout.write("Immaculaterr stopped.")
