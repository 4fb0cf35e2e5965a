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
        # min="0" and no max; the browser's own check now uses the real bounds.
        for name, field in self.fields.items():
            field.widget.attrs.update({"inputmode": "numeric", **model_bounds(name)})
