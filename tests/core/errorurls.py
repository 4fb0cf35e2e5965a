"""The app's URLs plus one view that crashes, for the 500 page test."""

from django.urls import path

from immaculaterr.urls import handler404, handler500
from immaculaterr.urls import urlpatterns as app_urlpatterns


def boom(request):
    raise RuntimeError("a bug of ours")


urlpatterns = [path("boom", boom), *app_urlpatterns]
__all__ = ["handler404", "handler500", "urlpatterns"]
