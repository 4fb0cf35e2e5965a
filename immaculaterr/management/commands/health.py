"""`manage.py health [database|broker|worker|beat]`: exit 0 when healthy (for container checks)."""

import json

from django.core.management.base import BaseCommand, CommandError

from immaculaterr import health

COMPONENTS = ("database", "broker", "worker", "beat")


class Command(BaseCommand):
    help = "Print the health report; exit non-zero when the named part (or any part) is unwell."

    def add_arguments(self, parser):
        parser.add_argument("component", nargs="?", choices=COMPONENTS)

    def handle(self, *args, component=None, **options):
        report = health.report()
        part = report[component] if component else report
        self.stdout.write(json.dumps(part, indent=2, sort_keys=True))
        if not part["ok"]:
            raise CommandError(f"{component or 'Immaculaterr'} is not healthy.")
