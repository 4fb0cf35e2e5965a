"""python manage.py tasks show | tasks set KEY setting=value ...: the Task Manager's switches
from the command line."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from jobs import registry, schedules
from jobs.forms import MISSING_TITLE_JOBS, OVERSEERR_DOES_IT
from jobs.models import JobSetting

SWITCHES = ("auto_run", "fetch_missing", "approval", "search_now")
SETTINGS = ("auto_run", "fetch_missing", "route", "approval", "search_now")
ROUTES = {JobSetting.DIRECT: "direct (Radarr for movies, Sonarr for TV)",
          JobSetting.OVERSEERR: "Overseerr"}
ON_OFF = {"on": True, "off": False}
USAGE = ("tasks set KEY auto_run=on|off fetch_missing=on|off route=direct|overseerr "
         "approval=on|off search_now=on|off (any of them)")


class Command(BaseCommand):
    help = ("Show every task's settings (tasks show), or change a task's: tasks set KEY "
            "auto_run=on|off fetch_missing=on|off route=direct|overseerr approval=on|off "
            "search_now=on|off. The last four are for the tasks that find missing titles.")

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["show", "set"])
        parser.add_argument("key", nargs="?", help="the task key (show: optional)")
        parser.add_argument("changes", nargs="*", metavar="setting=value")

    def handle(self, *args, action, key=None, changes=(), **opts):
        if action == "show":
            specs = [self._spec(key)] if key else registry.all_jobs()
            self.stdout.write("\n\n".join(describe(spec) for spec in specs))
            return
        if not key or not changes:
            raise CommandError(f"Give a task key and at least one setting: {USAGE}.")
        spec = self._spec(key)
        wanted = parse(spec, changes)
        for note in apply(spec, wanted):
            self.stdout.write(note)
        self.stdout.write(describe(spec))

    @staticmethod
    def _spec(key: str):
        try:
            return registry.get(key)
        except registry.UnknownJob:
            known = ", ".join(spec.key for spec in registry.all_jobs())
            raise CommandError(f"There is no task {key!r}. Tasks: {known}.") from None


def parse(spec, changes) -> dict:
    wanted = {}
    for change in changes:
        name, sep, value = change.partition("=")
        name, value = name.strip().lower().replace("-", "_"), value.strip().lower()
        if not sep:
            raise CommandError(f"{change!r} is not setting=value; {USAGE}.")
        if name not in SETTINGS:
            raise CommandError(f"There is no setting {name!r}; the settings are "
                               f"{', '.join(SETTINGS)}.")
        if name != "auto_run" and spec.key not in MISSING_TITLE_JOBS:
            raise CommandError(f"{spec.name} does not find missing titles, so it has no "
                               f"{name}; only auto_run. The tasks that do: "
                               f"{', '.join(MISSING_TITLE_JOBS)}.")
        wanted[name] = _value(name, value)
    if wanted.get("route") == JobSetting.OVERSEERR and (wanted.get("approval")
                                                        or wanted.get("search_now")):
        raise CommandError(OVERSEERR_DOES_IT)
    return wanted


def _value(name: str, value: str):
    if name == "route":
        if value not in ROUTES:
            raise CommandError(f"route is direct or overseerr, not {value!r}.")
        return value
    if value not in ON_OFF:
        raise CommandError(f"{name} is on or off, not {value!r}.")
    return ON_OFF[value]


def apply(spec, wanted: dict) -> list[str]:
    """Save the changes; returns sentences about what else changed with them."""
    notes = []
    if "auto_run" in wanted:
        set_auto_run(spec, wanted.pop("auto_run"))
    if not wanted:
        return notes
    setting = JobSetting.of(spec.key)
    route = wanted.get("route", setting.route)
    if route == JobSetting.OVERSEERR and (wanted.get("approval") or wanted.get("search_now")):
        raise CommandError(f"{spec.name} sends to Overseerr. {OVERSEERR_DOES_IT}")
    if wanted.get("route") == JobSetting.OVERSEERR and (setting.approval or setting.search_now):
        notes.append("Overseerr does its own approving and searching, so approval and search "
                     "now were turned off.")
    for name, value in wanted.items():
        setattr(setting, name, value)
    setting.save()
    return notes


def set_auto_run(spec, on: bool) -> None:
    # A scheduled job's Auto-Run is its schedule being enabled (as in the Task Manager).
    periodic = schedules.job_schedule(spec.key) if spec.scheduled else None
    if periodic is not None:
        periodic.enabled = on
        periodic.save(update_fields=["enabled"])
    else:
        JobSetting.objects.update_or_create(job=spec.key, defaults={"auto_run": on})


def auto_run(spec) -> bool:
    periodic = schedules.job_schedule(spec.key) if spec.scheduled else None
    if periodic is not None:
        return periodic.enabled
    return JobSetting.of(spec.key).auto_run


def describe(spec) -> str:
    def word(on: bool) -> str:
        return "on" if on else "off"

    lines = [f"{spec.name} ({spec.key})", f"  auto run:      {word(auto_run(spec))}"]
    if spec.key in MISSING_TITLE_JOBS:
        s = JobSetting.of(spec.key)
        direct_only = "" if s.route == JobSetting.DIRECT else " (direct route only)"
        lines += [f"  fetch missing: {word(s.fetch_missing)}",
                  f"  route:         {ROUTES.get(s.route, s.route)}",
                  f"  approval:      {word(s.approval)}{direct_only}",
                  f"  search now:    {word(s.search_now)}{direct_only}"]
    return "\n".join(lines)
