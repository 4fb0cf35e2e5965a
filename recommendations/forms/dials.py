from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator

from recommendations.models import RecommendationSettings


def model_bounds(name: str) -> dict[str, int]:
    """{"min": …, "max": …} from the model field's validators (the one place bounds live)."""
    bounds = {}
    for validator in RecommendationSettings._meta.get_field(name).validators:
        if isinstance(validator, MinValueValidator):
            bounds["min"] = validator.limit_value
        elif isinstance(validator, MaxValueValidator):
            bounds["max"] = validator.limit_value
    return bounds


def range_sentence(label: str, bounds: dict[str, int]) -> str:
    """'Max points goes from 1 to 100.', the error a value outside the dial's range gets."""
    name, unit = (label.removesuffix(" (%)"), "%") if label.endswith(" (%)") else (label, "")
    return f"{name} goes from {bounds['min']} to {bounds['max']}{unit}."


def as_message(sentence: str) -> str:
    return sentence.replace("%", "%%")  # ValidationError %-formats its message with params


class DialsForm(forms.ModelForm):
    """The Command Center "Recommendations" dials; bounds come from the model validators."""

    class Meta:
        model = RecommendationSettings
        fields = ["suggestions_per_run", "upcoming_percent", "max_points", "collection_limit"]
        labels = {"suggestions_per_run": "Suggestions per run",
                  "upcoming_percent": "Upcoming releases (%)", "max_points": "Max points",
                  "collection_limit": "Collection limit"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # ModelForm does not copy model validators into the form field, so the inputs said
        # min="0" and no max and an out-of-range value got Django's generic model message; the
        # form field now carries the same bounds (browser check) and says the dial's range.
        for name, field in self.fields.items():
            bounds = model_bounds(name)
            field.widget.attrs.update({"inputmode": "numeric", **bounds})
            message = as_message(range_sentence(str(field.label), bounds))
            others = [v for v in field.validators  # PositiveIntegerField's own min 0 goes
                      if not isinstance(v, MinValueValidator | MaxValueValidator)]
            field.validators = [*others, MinValueValidator(bounds["min"], message),
                                MaxValueValidator(bounds["max"], message)]
