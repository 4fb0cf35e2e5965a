"""Command Center → Posters: see each row kind's poster, upload a replacement, go back to ours."""

from __future__ import annotations

import hashlib

from django import forms
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from recommendations.models import RowPoster
from recommendations.rows.posters import LABELS, poster_for, validate_upload
from recommendations.types import KINDS

TEMPLATE = "recommendations/posters.html"
PREVIEW_NAME = "Viewer"


class PosterForm(forms.Form):
    kind = forms.ChoiceField(choices=[(k, LABELS[k]) for k in KINDS], widget=forms.HiddenInput)
    image = forms.FileField(label="Poster (PNG, JPEG or WebP; up to 5 MB and 4000 × 6000 px)",
                            widget=forms.ClearableFileInput(
                                attrs={"accept": "image/png,image/jpeg,image/webp"}))
    stamp_name = forms.BooleanField(label="Print the viewer's name on it", required=False,
                                    initial=True)

    def clean_image(self):
        data, content_type, width, height = validate_upload(self.cleaned_data["image"])
        return {"data": data, "content_type": content_type, "width": width, "height": height}

    def save(self) -> RowPoster:
        image = self.cleaned_data["image"]
        poster, _ = RowPoster.objects.update_or_create(kind=self.cleaned_data["kind"], defaults={
            "image": image["data"], "content_type": image["content_type"],
            "sha256": hashlib.sha256(image["data"]).hexdigest(), "width": image["width"],
            "height": image["height"], "stamp_name": self.cleaned_data["stamp_name"]})
        return poster


def _cards(form: PosterForm | None = None, message: str = "") -> dict:
    custom = {p.kind: p for p in RowPoster.objects.defer("image")}
    cards = [{"kind": k, "label": LABELS[k], "custom": custom.get(k),
              "version": _version(custom.get(k)),
              "form": form if form is not None and form.data.get("kind") == k
              else PosterForm(initial={"kind": k})} for k in KINDS]
    return {"cards": cards, "message": message}


def _version(poster: RowPoster | None) -> str:
    """Part of the preview's URL: a browser reuses an image it already shows for the same URL
    (whatever Cache-Control says), so a new upload must get a new URL to be seen."""
    return f"{poster.sha256[:16]}-{int(poster.stamp_name)}" if poster else "ours"


def _page(request, context: dict):
    # Errors come back as 200: htmx does not swap 4xx answers, and the form must show them.
    template = f"{TEMPLATE}#posters" if request.htmx else TEMPLATE
    return render(request, template, context)


@require_http_methods(["GET", "POST"])
def cc_posters(request):
    """Full page on a normal request; the `posters` fragment for htmx."""
    if request.method == "GET":
        return _page(request, _cards())
    form = PosterForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, _cards(form))
    poster = form.save()
    return _page(request, _cards(message=f"Saved the {LABELS[poster.kind]} poster; rows get "
                                         "it at their next sync."))


@require_POST
def poster_reset(request, kind: str):
    if kind not in KINDS:
        raise Http404("No such row kind.")
    RowPoster.objects.filter(kind=kind).delete()
    if not request.htmx:
        return redirect("recommendations:cc_posters")
    return _page(request, _cards(message=f"The {LABELS[kind]} rows use our artwork again."))


@require_GET
def poster_image(request, kind: str):
    """The poster a row of this kind gets, drawn for a sample viewer name."""
    if kind not in KINDS:
        raise Http404("No such row kind.")
    data = poster_for(kind, request.GET.get("name", PREVIEW_NAME)[:60])
    response = HttpResponse(data, content_type=_content_type(data))
    response["Cache-Control"] = "no-store"
    return response


def _content_type(data: bytes) -> str:
    if data.startswith(b"\x89PNG"):
        return "image/png"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return "image/jpeg"
