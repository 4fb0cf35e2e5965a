from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from recommendations.forms.dials import DialsForm
from recommendations.models import RecommendationSettings

TEMPLATE = "recommendations/cc_dials.html"


@require_http_methods(["GET", "POST"])
def cc_dials(request):
    """Full page on a normal request; the `dials` fragment for htmx."""
    current = RecommendationSettings.load()
    form = DialsForm(request.POST or None, instance=current)
    saved = request.method == "POST" and form.is_valid()
    if saved:
        form.save()
    # Errors come back as 200: htmx does not swap 4xx answers, and the form must show them.
    template = f"{TEMPLATE}#dials" if request.htmx else TEMPLATE
    return render(request, template, {"form": form, "saved": saved})
