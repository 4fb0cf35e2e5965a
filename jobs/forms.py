"""Forms of the Task Manager: Run now (with the seed where a job needs one), schedules and the
Missing titles routing."""

from __future__ import annotations

import zoneinfo
from functools import lru_cache

from django import forms
from django.conf import settings
from django.forms.utils import flatatt
from django.utils.html import escape
from django.utils.safestring import mark_safe

from immaculaterr.params import ID_MESSAGE, positive_id
from jobs import vaultlink
from jobs.context import Scope
from jobs.models import JobSetting

PRESETS = [("daily", "Daily"), ("weekly", "Weekly"), ("monthly", "Monthly"), ("cron", "Cron")]
WEEKDAYS = [(str(i), name) for i, name in enumerate(
    ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"])]


def _viewer_choices():
    try:
        return [("", "Owner / every viewer")] + [(str(v.account_id), v.name)
                                                 for v in vaultlink.all_viewers()]
    except Exception:  # noqa: BLE001 - the vault may not be migrated yet
        return [("", "Owner / every viewer")]


def _library_choices():
    try:
        return [("", "From the seed / every library")] + [
            (lib.key, f"{lib.title}{'' if lib.selected else ' (excluded)'}")
            for lib in vaultlink.all_libraries()]
    except Exception:  # noqa: BLE001
        return [("", "From the seed / every library")]


class RunForm(forms.Form):
    dry_run = forms.BooleanField(required=False)
    media_type = forms.ChoiceField(choices=[("movie", "Movie"), ("tv", "TV show")],
                                   required=False)
    seed_title = forms.CharField(required=False, max_length=300, label="Seed title")
    seed_year = forms.IntegerField(required=False, min_value=1870, max_value=2200, label="Year")
    seed_rating_key = forms.CharField(required=False, max_length=40, label="Plex rating key")
    viewer = forms.ChoiceField(required=False, choices=())
    library = forms.ChoiceField(required=False, choices=())

    def __init__(self, *args, spec=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.spec = spec
        self.fields["viewer"].choices = _viewer_choices()
        self.fields["library"].choices = _library_choices()

    def clean_seed_rating_key(self) -> str:
        text = self.cleaned_data.get("seed_rating_key") or ""
        if text and positive_id(text) is None:
            raise forms.ValidationError(f"The Plex rating key is a number from Plex. {ID_MESSAGE}")
        return text

    def clean(self):
        data = super().clean()
        needs_seed = self.spec is not None and self.spec.needs_seed
        if needs_seed and not (data.get("seed_title") or data.get("seed_rating_key")):
            raise forms.ValidationError("This job needs a seed: a title (and year) or a Plex "
                                        "rating key.")
        return data

    def seed(self) -> dict:
        d = self.cleaned_data
        if not (d.get("seed_title") or d.get("seed_rating_key")):
            return {}
        seed = {"title": d.get("seed_title") or "", "year": d.get("seed_year"),
                "media_type": d.get("media_type") or "movie", "source": "manual"}
        if d.get("seed_rating_key"):
            seed["rating_key"] = d["seed_rating_key"]
        return seed

    def scope(self) -> Scope:
        d = self.cleaned_data
        viewer = vaultlink.viewer(int(d["viewer"])) if d.get("viewer") else None
        library = vaultlink.library(d["library"]) if d.get("library") else None
        media = (d.get("media_type") or "") if self.spec and self.spec.needs_seed else ""
        return Scope.of(viewer, library, media or vaultlink.media_type_of(library))


ZONE_TABLES = ("/usr/share/zoneinfo/zone1970.tab",)


@lru_cache(maxsize=1)
def _canonical_zones() -> frozenset[str]:
    """The IANA zones people pick from: tzdata's zone1970.tab (~310, one per region) and UTC,
    without the ~290 old aliases (US/Eastern, Etc/GMT+5…) that doubled every schedule form's
    <select> on the Task Manager. Every zone when no table can be read."""
    zones = {line.split("\t")[2] for line in _zone_table().splitlines()
             if line and not line.startswith("#") and line.count("\t") >= 2}
    return frozenset(zones | {"UTC"}) if zones else frozenset(zoneinfo.available_timezones())


def _zone_table() -> str:
    try:
        from importlib.resources import files

        return files("tzdata").joinpath("zoneinfo", "zone1970.tab").read_text()
    except (ImportError, OSError):
        pass
    for path in ZONE_TABLES:
        try:
            with open(path, encoding="utf-8") as table:
                return table.read()
        except OSError:
            continue
    return ""


@lru_cache(maxsize=16)
def _zones(*keep: str) -> tuple[str, ...]:
    """The canonical zones and `keep` (the server's zone and the schedule's own, which may be
    an old alias), sorted; a name that is no zone at all is not kept."""
    known = _canonical_zones()
    kept = {z for z in keep if z and (z in known or z in zoneinfo.available_timezones())}
    return tuple(sorted(known | kept))


@lru_cache(maxsize=4)
def _zone_options(zones: tuple[str, ...]) -> str:
    return "".join(f'<option value="{escape(z)}">{escape(z)}</option>' for z in zones)


class ZoneSelect(forms.Select):
    """The same <select> as Django's, its ~600 options rendered once per process: every Task
    Manager card has one, and rendering them option by option took most of the page's
    time (~1 s for 13 cards here)."""

    def render(self, name, value, attrs=None, renderer=None):
        zones = tuple(str(v) for v, _ in self.choices)
        options = _zone_options(zones)
        if value not in (None, "") and str(value) in zones:
            mark = f'<option value="{escape(value)}">'
            options = options.replace(mark, mark[:-1] + " selected>", 1)
        final = self.build_attrs(self.attrs, attrs)
        return mark_safe(f'<select name="{escape(name)}"{flatatt(final)}>{options}</select>')


class ScheduleForm(forms.Form):
    preset = forms.ChoiceField(choices=PRESETS)
    time = forms.TimeField(required=False, input_formats=["%H:%M"])
    weekday = forms.ChoiceField(choices=WEEKDAYS, required=False)
    day = forms.IntegerField(min_value=1, max_value=28, required=False, label="Day of month")
    cron = forms.CharField(required=False, max_length=120, label="Cron line",
                           help_text="minute hour day-of-month month day-of-week")
    timezone = forms.ChoiceField(choices=(), widget=ZoneSelect)
    enabled = forms.BooleanField(required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        current = str((self.initial or {}).get("timezone") or "")
        self.fields["timezone"].choices = [(z, z) for z in _zones(settings.TIME_ZONE, current)]

    def clean(self):
        data = super().clean()
        preset = data.get("preset")
        if preset == "cron":
            data["line"] = _valid_cron(data.get("cron") or "")
        elif preset:
            when = data.get("time")
            if when is None:
                raise forms.ValidationError("Pick a time of day.")
            dow = data.get("weekday") if preset == "weekly" else "*"
            dom = str(data.get("day") or 1) if preset == "monthly" else "*"
            if preset == "weekly" and dow in (None, ""):
                raise forms.ValidationError("Pick a weekday.")
            data["line"] = f"{when.minute} {when.hour} {dom} * {dow}"
        return data

    @classmethod
    def initial_for(cls, periodic) -> dict:
        if periodic is None or periodic.crontab is None:
            return {"preset": "daily", "time": "03:00", "timezone": settings.TIME_ZONE}
        c = periodic.crontab
        initial = {"timezone": str(c.timezone), "enabled": periodic.enabled,
                   "cron": f"{c.minute} {c.hour} {c.day_of_month} {c.month_of_year} "
                           f"{c.day_of_week}"}
        simple = c.minute.isdigit() and c.hour.isdigit() and c.month_of_year == "*"
        if simple:
            initial["time"] = f"{int(c.hour):02d}:{int(c.minute):02d}"
        if simple and c.day_of_month == "*" and c.day_of_week == "*":
            initial["preset"] = "daily"
        elif simple and c.day_of_month == "*" and c.day_of_week.isdigit():
            initial.update(preset="weekly", weekday=c.day_of_week)
        elif simple and c.day_of_month.isdigit() and c.day_of_week == "*":
            initial.update(preset="monthly", day=int(c.day_of_month))
        else:
            initial["preset"] = "cron"
        return initial


def _valid_cron(line: str) -> str:
    from celery.schedules import ParseException, crontab_parser

    fields = line.split()
    if len(fields) != 5:
        raise forms.ValidationError("A cron line has five fields: minute hour day-of-month "
                                    "month day-of-week.")
    limits = [(60, 0), (24, 0), (31, 1), (12, 1), (7, 0)]
    for value, (size, offset) in zip(fields, limits, strict=True):
        try:
            crontab_parser(size, offset).parse(value)
        except (ParseException, ValueError) as exc:
            raise forms.ValidationError(f"Cron field {value!r} is not valid: {exc}") from None
    return " ".join(fields)


# The jobs that find titles missing from Plex, and so have the Missing titles settings.
MISSING_TITLE_JOBS = ("immaculate_taste", "latest_watched")
OVERSEERR_DOES_IT = ("Overseerr does its own approving and searching; approval and search now "
                     "are for the direct route.")
SERVICE_NAMES = {"radarr": "Radarr", "sonarr": "Sonarr", "overseerr": "Overseerr"}


class RoutingForm(forms.Form):
    """A task's Missing titles settings. Choosing Overseerr turns approval and search-now off
    (JobSetting.save does too); `turned_off` says whether that happened, so the card can say
    so."""

    fetch_missing = forms.BooleanField(required=False, label="Fetch missing items")
    route = forms.ChoiceField(choices=JobSetting.ROUTES, widget=forms.RadioSelect,
                              label="Route")
    approval = forms.BooleanField(required=False, label="Approval required from Observatory")
    search_now = forms.BooleanField(required=False, label="Start search immediately")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.turned_off = False
        if (self.initial.get("route") if not self.is_bound else None) == JobSetting.OVERSEERR:
            self.disable_direct_fields()

    def disable_direct_fields(self) -> None:
        for name in ("approval", "search_now"):
            self.fields[name].disabled = True

    def clean(self):
        data = super().clean()
        if data.get("route") == JobSetting.OVERSEERR:
            self.turned_off = bool(data.get("approval") or data.get("search_now"))
            data["approval"] = data["search_now"] = False
        return data

    @classmethod
    def initial_for(cls, setting: JobSetting) -> dict:
        return {name: getattr(setting, name) for name in ROUTING_FIELDS}

    def save(self, key: str) -> JobSetting:
        setting = JobSetting.of(key)
        for name in ROUTING_FIELDS:
            setattr(setting, name, self.cleaned_data[name])
        setting.save()
        return setting


ROUTING_FIELDS = ("fetch_missing", "route", "approval", "search_now")
