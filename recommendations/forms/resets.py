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
