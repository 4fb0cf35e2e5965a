from django import forms

from recommendations.models import RecommendationSettings


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
        for field in self.fields.values():
            field.widget.attrs.update({"inputmode": "numeric"})
            for validator in field.validators:
                bound = getattr(validator, "limit_value", None)
                code = getattr(validator, "code", "")
                if code in ("min_value", "max_value") and bound is not None:
                    field.widget.attrs[code.removesuffix("_value")] = bound
