"""Forms built from the service specs in vault.integrations, plus the Command Center forms."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from immaculaterr.params import positive_id
from vault import arrdefaults, integrations
from vault.models import PlexLibrary, PlexViewer

BLANK = {"tag": "None", "language_profile": "None"}  # what an empty optional select means


def _field(f: integrations.Field, status: integrations.SecretStatus | None,
           choices: dict | None) -> forms.Field:
    common = {"label": f.label, "required": False, "help_text": f.help}
    if f.secret:
        hint = status.text if status else "not set"
        common["help_text"] = f"Currently {hint}. Leave blank to keep it."
        return forms.CharField(widget=forms.PasswordInput(render_value=False, attrs={
            "autocomplete": "new-password"}), strip=True, **common)
    if choices and f.name in choices:
        blank = [] if f.required else [("", BLANK.get(f.name, "Choose one"))]
        return forms.TypedChoiceField(choices=blank + choices[f.name], coerce=str, **common)
    if f.name in arrdefaults.STATIC:  # the service's published enum: a select, validated
        return forms.ChoiceField(choices=arrdefaults.STATIC[f.name], **common)
    if f.kind == "int":
        return forms.IntegerField(min_value=1, **common)
    widget = forms.URLInput if f.kind == "url" else forms.TextInput
    return forms.CharField(widget=widget(attrs={"placeholder": f.default or ""}), **common)


class ServiceForm(forms.Form):
    enabled = forms.BooleanField(required=False, label="Enabled")

    def __init__(self, service: str, *args, statuses=None, choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.service = integrations.spec(service)
        by_name = {s.name: s for s in statuses or []}
        for f in self.service.fields:
            self.fields[f.name] = _field(f, by_name.get(f.name), choices)

    def save(self):
        values = {f.name: self.cleaned_data.get(f.name) for f in self.service.fields}
        try:
            return integrations.save(self.service.key, self.cleaned_data["enabled"], values)
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                for message in messages:
                    self.add_error(None if name not in self.fields else name, message)
            return None


class IdsField(forms.ModelMultipleChoiceField):
    """Rows chosen by primary key; an id that is not plain digits in the column's range is a
    form error (Django would pass "99999999999999999999999" to the database and overflow)."""

    def _check_values(self, value):
        for pk in value if isinstance(value, list | tuple) else ():
            if positive_id(str(pk)) is None:
                raise ValidationError(self.error_messages["invalid_pk_value"],
                                      code="invalid_pk_value", params={"pk": pk})
        return super()._check_values(value)


class LibrariesForm(forms.Form):
    selected = IdsField(
        queryset=PlexLibrary.objects.filter(present=True), required=False,
        widget=forms.CheckboxSelectMultiple, label="Libraries Immaculaterr works on")

    def clean_selected(self):
        chosen = self.cleaned_data["selected"]
        if not chosen:
            raise ValidationError("Keep at least one library selected.")
        return chosen

    def save(self) -> None:
        chosen = [lib.pk for lib in self.cleaned_data["selected"]]
        present = PlexLibrary.objects.filter(present=True)
        present.filter(pk__in=chosen).update(selected=True)
        present.exclude(pk__in=chosen).update(selected=False)


class ViewersForm(forms.Form):
    monitored = IdsField(
        queryset=PlexViewer.objects.filter(present=True), required=False,
        widget=forms.CheckboxSelectMultiple, label="Viewers whose watching drives rows")

    def save(self) -> None:
        chosen = [v.pk for v in self.cleaned_data["monitored"]]
        present = PlexViewer.objects.filter(present=True)
        present.filter(pk__in=chosen).update(monitored=True)
        present.exclude(pk__in=chosen).update(monitored=False)
