"""Command Center → Resets: each form names a scope; "reset" also needs the typed word."""

from __future__ import annotations

from django import forms

from vault.models import PlexLibrary, PlexViewer

CONFIRM_WORD = "reset"
PREVIEW, RESET = "preview", "reset"


class ResetForm(forms.Form):
    """The scope is enough for a preview (a dry run); the reset itself needs `confirm`."""

    confirm = forms.CharField(required=False, max_length=20,
                              label=f'Type "{CONFIRM_WORD}" to confirm')

    def __init__(self, *args, action: str = PREVIEW, **kwargs):
        super().__init__(*args, **kwargs)
        self.action = action
        self.fields["confirm"].widget.attrs.update({"autocomplete": "off",
                                                   "spellcheck": "false"})

    def clean_confirm(self) -> str:
        typed = self.cleaned_data.get("confirm", "").strip()
        if self.action == RESET and typed.lower() != CONFIRM_WORD:
            raise forms.ValidationError(f'Type "{CONFIRM_WORD}" to confirm; nothing was '
                                        "removed.")
        return typed

    def scope(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in self.fields if name != "confirm"}


def viewer_field() -> forms.ModelChoiceField:
    # Every viewer, present or not: a viewer gone from Plex may still own rows.
    return forms.ModelChoiceField(PlexViewer.objects.all(), required=False,
                                  empty_label="All viewers", label="Viewer")


class ImmaculateResetForm(ResetForm):
    viewer = viewer_field()
    library = forms.ModelChoiceField(PlexLibrary.objects.all(), required=False,
                                     empty_label="All libraries", label="Library")
    field_order = ["viewer", "library", "confirm"]


class RejectedResetForm(ResetForm):
    viewer = viewer_field()
    field_order = ["viewer", "confirm"]


OURS, EVERY = "ours", "every"


class OverseerrResetForm(ResetForm):
    """Only the requests this app made, unless `which` says every request. `ids` carries the
    previewed request ids to the confirmation, so the reset removes exactly what was shown."""

    which = forms.ChoiceField(
        choices=[(OURS, "Only the requests Immaculaterr made"),
                 (EVERY, "Every request in Overseerr, the viewers' own included")],
        initial=OURS, widget=forms.RadioSelect, label="Which requests")
    ids = forms.CharField(required=False, widget=forms.HiddenInput, max_length=100_000)
    field_order = ["which", "ids", "confirm"]

    def clean_ids(self) -> list[int] | None:
        text = (self.cleaned_data.get("ids") or "").strip()
        if not text:
            return None
        parts = text.split(",")
        if not all(p.isascii() and p.isdigit() and len(p) < 10 for p in parts):
            raise forms.ValidationError("The preview's request list was damaged; preview "
                                        "again.")
        return [int(p) for p in parts]
