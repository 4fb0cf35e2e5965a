"""Command Center → Duplicate cleanup: the keep rule, and the deletion switch.

Deletion is off until the admin turns it on here, and turning it on takes two steps: a
preview (the files a full sweep would delete now, by the saved rule; nothing is changed) and
the typed word DELETE. Turning it off is one click. The cleanup job itself deletes only
while the switch is on, only through Plex and only where the server allows it.
"""

from __future__ import annotations

import logging

from django import forms
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from jobs import vaultlink
from jobs.definitions import cleanup
from jobs.definitions.hygiene.keep import CRITERIA, Rule
from jobs.models import JobSetting
from vault.clients import plex as plex_client
from vault.clients.errors import ServiceError

logger = logging.getLogger("jobs")
TEMPLATE = "jobs/cc_cleanup.html"
WORD = "DELETE"
PREVIEW_LIMIT = 200  # files listed on the page; the count covers them all


class RuleForm(forms.Form):
    keep_order = forms.CharField(
        label="Compare versions by", max_length=100,
        help_text="In this order, comma-separated: " + ", ".join(CRITERIA) + ".")
    preserve_keywords = forms.CharField(
        label="Always keep files named with", max_length=200, required=False,
        help_text="Comma-separated words, e.g. 2160p, Remux (none by default).")

    def clean_keep_order(self) -> str:
        names = [n.strip().lower() for n in self.cleaned_data["keep_order"].split(",")
                 if n.strip()]
        unknown = [n for n in names if n not in CRITERIA]
        if unknown or not names:
            raise forms.ValidationError(f"Use only: {', '.join(CRITERIA)}.")
        return ",".join(dict.fromkeys(names))

    def clean_preserve_keywords(self) -> str:
        return ", ".join(Rule.parse("", self.cleaned_data["preserve_keywords"]).preserve)


class ConfirmForm(forms.Form):
    confirm = forms.CharField(label=f"Type {WORD} to turn deletion on", max_length=20)

    def clean_confirm(self) -> str:
        if self.cleaned_data["confirm"].strip() != WORD:
            raise forms.ValidationError(f"Type {WORD} (capital letters) to confirm.")
        return WORD


def _setting() -> JobSetting:
    setting, _ = JobSetting.objects.get_or_create(job=cleanup.KEY)
    return setting


def _preview() -> dict:
    """The files a full sweep would delete, or the sentence why it cannot be shown."""
    if not vaultlink.plex_enabled():
        return {"error": "Plex is not set up, so there is nothing to preview."}
    try:
        server = vaultlink.plex_server()
        decisions, doomed = cleanup.preview(server)
        allowed = plex_client.media_deletion_allowed(server)
    except ServiceError as exc:
        return {"error": f"Plex could not be read: {exc}"}
    return {"groups": len(decisions), "files": doomed[:PREVIEW_LIMIT], "total": len(doomed),
            "more": max(0, len(doomed) - PREVIEW_LIMIT), "allowed": allowed,
            "kept": decisions[:PREVIEW_LIMIT]}


@require_http_methods(["GET", "POST"])
def cc_cleanup(request):
    """Full page on a normal request; the `cleanup` fragment for htmx."""
    setting = _setting()
    action = request.POST.get("action") if request.method == "POST" else ""
    rule_form = RuleForm(initial={"keep_order": setting.keep_order,
                                  "preserve_keywords": setting.preserve_keywords})
    page = {"setting": setting, "word": WORD, "rule_form": rule_form, "confirm_form": None}
    if action == "rule":
        rule_form = RuleForm(request.POST)
        page["rule_form"] = rule_form
        if rule_form.is_valid():
            setting.keep_order = rule_form.cleaned_data["keep_order"]
            setting.preserve_keywords = rule_form.cleaned_data["preserve_keywords"]
            setting.save()
            page["saved"] = "The keep rule is saved; the next cleanup run uses it."
    elif action == "preview":
        page |= {"preview": _preview(), "confirm_form": ConfirmForm()}
    elif action == "enable":
        confirm = ConfirmForm(request.POST)
        if confirm.is_valid():
            setting.delete_duplicates = True
            setting.save()
            logger.warning("Duplicate deletion turned on in the Command Center.")
            page["saved"] = "Deletion is on: cleanup runs now delete the versions they do " \
                            "not keep, through Plex."
        else:
            page |= {"preview": _preview(), "confirm_form": confirm}
    elif action == "disable":
        setting.delete_duplicates = False
        setting.save()
        page["saved"] = "Deletion is off: cleanup runs delete nothing."
    template = f"{TEMPLATE}#cleanup" if request.htmx else TEMPLATE
    return render(request, template, page)
