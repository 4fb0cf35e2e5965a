"""The Vault page: a card per service with Save and Test (htmx, inline result)."""

from __future__ import annotations

import logging

from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from vault import integrations, probes
from vault.clients.errors import ServiceError
from vault.clients.factory import arr_defaults
from vault.clients.radarr import RadarrClient
from vault.clients.sonarr import SonarrClient
from vault.forms import ServiceForm
from vault.mirror import reader
from vault.models import Integration

log = logging.getLogger(__name__)
ARR = ("radarr", "sonarr")


def _service(service: str) -> integrations.Service:
    if service not in integrations.SERVICES:
        raise Http404("No such service.")
    return integrations.SERVICES[service]


def _placeholders(form: ServiceForm, statuses) -> ServiceForm:
    """A saved secret shows as kept (never its value): the field's placeholder says so."""
    for status in statuses:
        if status.state == "set" and status.name in form.fields:
            form.fields[status.name].widget.attrs["placeholder"] = "•••••••• saved"
    return form


def card_context(service: str, form: ServiceForm | None = None, saved: bool = False) -> dict:
    spec = _service(service)
    row = Integration.objects.filter(service=service).first()
    statuses = integrations.secret_status(service, row)
    if form is None:
        initial = integrations.public_settings(service, row) | {
            "enabled": bool(row and row.enabled)}
        form = ServiceForm(service, initial=initial, statuses=statuses)
    return {"spec": spec, "form": _placeholders(form, statuses), "row": row,
            "statuses": statuses, "saved": saved,
            "unreadable": any(s.state == "unreadable" for s in statuses),
            "is_arr": service in ARR}


def _missing(service: str, data, statuses) -> list[str]:
    """Required fields neither in the form nor saved: a service is on once these are filled,
    so there is no Enabled box to find (an empty form is refused, never "Saved.")."""
    spec = _service(service)
    kept = {s.name for s in statuses if s.state != "unset"}
    stored = integrations.public_settings(service)
    return [f.label for f in spec.fields if f.required and not f.default
            and not str(data.get(f.name, "")).strip()
            and not (f.name in kept if f.secret else f.name not in data and stored.get(f.name))]


def _turn_off(request, service: str):
    integrations.set_enabled(service, False)
    note = "Turned off: nothing uses it until you save it again."
    if not request.htmx:
        messages.info(request, note)
        return HttpResponseRedirect(reverse("vault:index") + f"#{service}")
    return render(request, "vault/index.html#card", {"card": card_context(service) | {
        "note": note}})


def index(request, bound: dict | None = None):
    """The Vault page; `bound` is one card's context holding a rejected form (a save without
    htmx), shown in place of that card so its errors and input stay."""
    bound_key = bound["spec"].key if bound else None
    cards = [bound if service == bound_key else card_context(service)
             for service in integrations.SERVICES]
    return render(request, "vault/index.html", {
        "cards": cards, "unreadable": integrations.unreadable_services(),
        "unreadable_text": integrations.UNREADABLE})


@require_POST
def save(request, service: str):
    spec = _service(service)
    if request.POST.get("enabled") == "off":
        return _turn_off(request, service)
    statuses = integrations.secret_status(service)
    missing = _missing(service, request.POST, statuses)
    data = request.POST.copy()
    data["enabled"] = "" if missing else "on"
    form = ServiceForm(service, data, statuses=statuses)
    if missing:
        form.is_valid()
        form.add_error(None, f"Fill in {' and '.join(missing)} to save {spec.title}.")
    saved = not missing and form.is_valid() and form.save() is not None
    note = ""
    if saved and service == "plex" and integrations.is_enabled("plex"):
        note = reader.read_structure_after_save()
    if not request.htmx:
        if not saved:  # re-render the page: a redirect would drop the form's errors
            return index(request, bound=card_context(service, form))
        if note:
            messages.info(request, note)
        return HttpResponseRedirect(reverse("vault:index") + f"#{service}")
    context = card_context(service, None if saved else form, saved=saved)
    context["note"] = note
    return render(request, "vault/index.html#card", {"card": context})


@require_POST
def test(request, service: str):
    spec = _service(service)
    result = probes.run_form(service, request.POST)
    log.info("Vault test %s: %s", service, "ok" if result.ok else "failed")
    return render(request, "vault/index.html#result", {"result": result, "spec": spec})


V4_LANGUAGES = "Sonarr v4 has no language profiles; languages come from the quality profile."


@require_GET
def arr_choices(request, service: str):
    """The root folder / quality profile / tag (and Sonarr v3's language profile) fields as
    selects filled from the service, with a warning for a saved value the service lost."""
    if service not in ARR:
        raise Http404("No such service.")
    context = card_context(service)
    error, warnings, note = "", [], ""
    try:
        cfg = integrations.get_config(service)
        if cfg.missing():
            raise ServiceError(service, "Save the URL and API key first to load choices.")
        cls = RadarrClient if service == "radarr" else SonarrClient
        client = cls(cfg.values["url"], cfg.values["api_key"], **arr_defaults(cfg.values))
        loaded = client.choices()
        choices = {"root_folder": [(p, p) for p in loaded.root_folders],
                   "quality_profile": [(str(i), n) for i, n in loaded.quality_profiles],
                   "tag": [(str(i), n) for i, n in loaded.tags]}
        if service == "sonarr":
            choices, note = _language_profiles(client, choices, cfg.values, warnings)
        problem = client.defaults_problem(loaded)
        if problem:
            warnings.insert(0, f"{problem[:-1]} any more; choose one.")
        context["form"] = ServiceForm(service, initial=context["form"].initial,
                                      statuses=context["statuses"], choices=choices)
    except integrations.SecretsUnreadable:
        error = integrations.UNREADABLE
    except ServiceError as exc:
        error = str(exc)
    return render(request, "vault/index.html#arr_fields", {
        "card": context, "choices_loaded": True, "choices_error": error,
        "choices_warnings": warnings, "languages_note": note})


def _language_profiles(client, choices: dict, values: dict, warnings: list) -> tuple[dict, str]:
    """Sonarr v3 offers its language profiles; v4 has none (one deprecated stand-in)."""
    if not str(client.status().get("version", "")).startswith("3."):
        return choices, V4_LANGUAGES
    profiles = [(str(p["id"]), p["name"]) for p in client.language_profiles()]
    saved = values.get("language_profile")
    if saved and str(saved) not in dict(profiles):
        warnings.append(f"Sonarr has no language profile with id {saved} any more; choose one.")
    return choices | {"language_profile": profiles}, ""
