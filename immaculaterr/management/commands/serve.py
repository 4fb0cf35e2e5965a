"""Run Immaculaterr: migrate, then web server + Celery worker + beat as child processes."""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from immaculaterr import health
from immaculaterr.backup import BackupFailed, before_migrate
from immaculaterr.supervisor import Child, Supervisor
from jobs.models import LogLine

ROLES = ("web", "worker", "beat")
PR_SET_PDEATHSIG = 1
logger = logging.getLogger("immaculaterr.serve")
WEB_THREADS = min(8, 2 * (os.cpu_count() or 1) + 1)  # granian warns above 2 x cores + 1


def die_with_parent() -> None:
    """In the child, before exec: if serve itself is killed (SIGKILL, OOM), Linux sends this
    child SIGTERM instead of leaving an orphaned web server or worker running."""
    if sys.platform.startswith("linux"):
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def web_command(port: int) -> list[str]:
    """granian serves the WSGI app natively (Django's sync views and ORM unchanged): its Rust
    I/O holds thousands of idle connections cheaply and rejects a malformed chunked body at
    once, where waitress's 100-connection default and its chunk parser took the site down."""
    return [sys.executable, "-m", "granian", "--interface", "wsgi", "--host", "0.0.0.0",
            "--port", str(port), "--workers", "1", "--blocking-threads", str(WEB_THREADS),
            "--backlog", "2048", "--no-ws", "--http1-header-read-timeout", "30000",
            "--log-level", settings.LOG_LEVEL.lower(), "--no-access-log",
            "immaculaterr.wsgi:application"]


def child_command(role: str, port: int) -> list[str]:
    py, level = sys.executable, f"--loglevel={settings.LOG_LEVEL}"
    if role == "web":
        return web_command(port)
    if role == "worker":
        return [py, "-m", "celery", "-A", "immaculaterr", "worker", level,
                "--queues=celery", "--concurrency=2", "--without-mingle", "--without-gossip",
                f"--hostname=worker@{os.uname().nodename}"]
    if role == "triggers":
        return [py, "-m", "celery", "-A", "immaculaterr", "worker", level,
                f"--queues={settings.TRIGGERS_QUEUE}", "--pool=solo", "--without-mingle",
                "--without-gossip", f"--hostname=triggers@{os.uname().nodename}"]
    return [py, "-m", "celery", "-A", "immaculaterr", "beat", level,
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
            "server (granian), a Celery worker and Celery beat until stopped; a worker or beat "
            "that stops unexpectedly is restarted with backoff.")

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=settings.PORT)
        parser.add_argument("--only", choices=ROLES, action="append",
                            help="Run only these parts (repeatable); default all three.")
        parser.add_argument("--no-migrate", action="store_true")

    def handle(self, *args, port: int, only: list[str] | None, no_migrate: bool, **opts):
        roles = only or list(ROLES)
        if not no_migrate:
            self.migrate()
        connection.close()  # the children open their own
        supervisor = self.start(roles, port)
        self.stdout.write(f"Immaculaterr is running on http://0.0.0.0:{port}/ "
                          f"({', '.join(roles)}). Press Ctrl-C to stop.")
        code = self.supervise(supervisor)
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

    def start(self, roles: list[str], port: int) -> Supervisor:
        env = dict(os.environ, DJANGO_SETTINGS_MODULE="immaculaterr.settings")

        def spawn(argv: list[str]) -> subprocess.Popen:
            return subprocess.Popen(argv, env=env, cwd=settings.BASE_DIR,
                                    start_new_session=True, preexec_fn=die_with_parent)

        children = [Child(name, argv) for role in roles
                    for name, argv in child_commands(role, port)]
        supervisor = Supervisor(children, spawn, announce_restart)
        supervisor.start_all()
        return supervisor

    def supervise(self, supervisor: Supervisor) -> str:
        stopping: list[int] = []
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, lambda s, f: stopping.append(s))
        problem = ""
        while not stopping and not problem:
            time.sleep(0.5)
            problem = supervisor.step()
        if problem:
            self.stderr.write(problem)
        supervisor.stop()
        self.stdout.write("Immaculaterr stopped.")
        return problem


def announce_restart(name: str, code: int, sentence: str) -> None:
    """In the console and file log, in Logs and in health; a database that is down for the
    moment must not stop the supervision itself."""
    logger.warning(sentence)
    try:
        health.record_restart(name, code)
        LogLine.objects.create(level=logging.WARNING, message=sentence)
    except Exception as exc:  # noqa: BLE001 - logged, and serve goes on
        logger.warning("The restart could not be recorded in the database: %s", exc)
    finally:
        connection.close()  # serve holds no connection between restarts
