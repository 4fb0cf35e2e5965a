"""The first-run wizard's steps: what each shows and what its Continue saves.

Every step saves through the code the Vault and the Command Center use (vault.forms'
ServiceForm, LibrariesForm, ViewersForm; Sign in with Plex is the Vault's own htmx flow), so a
value saved here is the value those pages show. A step's `save` returns None when it went
through, or the context to show again with its errors.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from jobs import registry
from jobs.definitions.history import titles_per_library
from jobs.dispatch import dispatch
from jobs.models import JobRun, JobSetting, Trigger
from jobs.triggers import auto_run_on
from vault import integrations
from vault.clients.errors import ServiceError
from vault.clients.factory import plex_server
from vault.forms import LibrariesForm, ServiceForm, ViewersForm
from vault.mirror import reader
from vault.models import PlexLibrary, PlexViewer

OPTIONAL = ("openai", "google", "radarr", "sonarr", "overseerr")
NO_PLEX = "Plex is not connected yet: sign in with Plex or enter its URL and token first."


@dataclass(frozen=True)
class Step:
    slug: str
    title: str
    blurb: str


STEPS = (
    Step("plex", "Plex", "Connect your Plex Media Server."),
    Step("libraries", "Libraries", "Choose the libraries Immaculaterr works on."),
    Step("viewers", "Viewers", "Choose whose watching drives rows."),
    Step("tmdb", "TMDB", "The Movie Database finds what to suggest."),
    Step("services", "Optional services", "OpenAI, Google, Radarr, Sonarr and Overseerr."),
    Step("autorun", "Auto-Run", "Start runs by themselves when a viewer finishes a title."),
    Step("import", "Import history", "Seed everyone's rows from what they watched."),
    Step("done", "Done", "Everything is set."),
)
BY_SLUG = {s.slug: s for s in STEPS}
SLUGS = [s.slug for s in STEPS]


def following(slug: str) -> str:
    return SLUGS[min(SLUGS.index(slug) + 1, len(SLUGS) - 1)]


def service_form(service: str, data=None) -> ServiceForm:
    """The Vault's form for `service`, bound to `data` (enabled, since filling it in is the
    point of the step) or showing what is saved (secrets never)."""
    statuses = integrations.secret_status(service)
    ids = f"wizard_{service}_%s"  # never the Vault card's ids (Sign in with Plex swaps it in)
    if data is not None:
        data = data.copy()
        data["enabled"] = "on"
        return ServiceForm(service, data, statuses=statuses, auto_id=ids)
    return ServiceForm(service, initial=integrations.public_settings(service), statuses=statuses,
                       auto_id=ids)


def filled(service: str, data) -> bool:
    return any((data.get(f.name) or "").strip() for f in integrations.spec(service).fields)


def save_service(service: str, data) -> tuple[ServiceForm, bool]:
    form = service_form(service, data)
    return form, form.is_valid() and form.save() is not None


# Plex --------------------------------------------------------------------------------------
def plex_context(request, form=None) -> dict:
    return {"form": form or service_form("plex"), "connected": integrations.is_enabled("plex"),
            "url": integrations.public_settings("plex").get("url", "")}


def plex_save(request, state):
    form = None
    if filled("plex", request.POST):
        form, saved = save_service("plex", request.POST)
        if not saved:
            return plex_context(request, form)
    if not integrations.is_enabled("plex"):
        context = plex_context(request, form)
        context["error"] = NO_PLEX
        return context
    try:
        server = plex_server()
        reader.sync_libraries(server)
        reader.sync_viewers(server)
    except integrations.SecretsUnreadable:
        return plex_context(request, form) | {"error": integrations.UNREADABLE}
    except ServiceError as exc:
        return plex_context(request, form) | {"error": f"Plex could not be read: {exc}"}
    return None


# Libraries and viewers (the Command Center's forms) ----------------------------------------
def libraries_context(request, form=None) -> dict:
    rows = list(PlexLibrary.objects.filter(present=True).order_by("kind", "title"))
    chosen = ({int(v) for v in form.data.getlist("selected") if str(v).isdigit()}
              if form is not None else {lib.pk for lib in rows if lib.selected})
    return {"form": form, "rows": rows, "checked": chosen}


def libraries_save(request, state):
    form = LibrariesForm(request.POST)
    if not form.is_valid():
        return libraries_context(request, form)
    form.save()
    return None


def viewers_context(request, form=None) -> dict:
    rows = sorted(PlexViewer.objects.filter(present=True),
                  key=lambda v: (not v.is_owner, (v.name or "").lower()))
    chosen = ({int(v) for v in form.data.getlist("monitored") if str(v).isdigit()}
              if form is not None else {v.pk for v in rows if v.monitored})
    return {"form": form, "rows": rows, "checked": chosen}


def viewers_save(request, state):
    form = ViewersForm(request.POST)
    if not form.is_valid():
        return viewers_context(request, form)
    form.save()
    return None


# TMDB and the optional services (the Vault's forms) ----------------------------------------
def tmdb_context(request, form=None) -> dict:
    return {"form": form or service_form("tmdb"), "connected": integrations.is_enabled("tmdb")}


def tmdb_save(request, state):
    if filled("tmdb", request.POST):
        form, saved = save_service("tmdb", request.POST)
        if not saved:
            return tmdb_context(request, form)
    elif not integrations.is_enabled("tmdb"):
        return tmdb_context(request) | {"error": "Enter TMDB's API key, or skip this step."}
    return None


def services_context(request, bound: ServiceForm | None = None, saved: str = "") -> dict:
    cards = []
    for key in OPTIONAL:
        form = bound if bound is not None and bound.service.key == key else service_form(key)
        cards.append({"spec": integrations.spec(key), "form": form,
                      "enabled": integrations.is_enabled(key), "open": form is bound,
                      "saved": saved == key})
    return {"cards": cards, "stay": bool(saved)}  # stay: a saved card is no error


def services_save(request, state):
    """One service's Save keeps the step open (with that card saved); Continue moves on."""
    key = request.POST.get("service", "")
    if key not in OPTIONAL:
        return None
    form, saved = save_service(key, request.POST)
    return services_context(request, None if saved else form, saved=key if saved else "")


# Auto-Run ----------------------------------------------------------------------------------
def autorun_context(request) -> dict:
    return {"jobs": [{"spec": s, "on": auto_run_on(s.key)} for s in registry.all_jobs()
                     if s.plex_triggered]}


def autorun_save(request, state):
    chosen = set(request.POST.getlist("auto_run"))
    with transaction.atomic():
        for spec in registry.all_jobs():
            if spec.plex_triggered:
                JobSetting.objects.update_or_create(job=spec.key,
                                                    defaults={"auto_run": spec.key in chosen})
    return None


# Import history and done -------------------------------------------------------------------
def import_context(request, state=None) -> dict:
    state = state or request.onboarding
    return {"run": JobRun.objects.filter(pk=state.history_run_id).first(),
            "plex": integrations.is_enabled("plex"), "tmdb": integrations.is_enabled("tmdb"),
            "viewers": PlexViewer.objects.filter(monitored=True, present=True).count(),
            "libraries": PlexLibrary.objects.filter(selected=True, present=True).count(),
            "titles": titles_per_library()}


def import_save(request, state):
    """Start Import Plex History once (a second Continue keeps the run already started)."""
    run = JobRun.objects.filter(pk=state.history_run_id).first()
    if run is None:
        run = dispatch("history_import", trigger=Trigger.MANUAL)
        state.history_run_id = run.pk
        state.save(update_fields=["history_run_id", "updated_at"])
    return None


def done_context(request) -> dict:
    return import_context(request) | {
        "services": [integrations.spec(k).title for k in OPTIONAL if integrations.is_enabled(k)],
        "skipped": [BY_SLUG[s].title for s in request.onboarding.skipped if s in BY_SLUG]}


CONTEXTS = {"plex": plex_context, "libraries": libraries_context, "viewers": viewers_context,
            "tmdb": tmdb_context, "services": services_context, "autorun": autorun_context,
            "import": import_context, "done": done_context}
SAVES = {"plex": plex_save, "libraries": libraries_save, "viewers": viewers_save,
         "tmdb": tmdb_save, "services": services_save, "autorun": autorun_save,
         "import": import_save}
