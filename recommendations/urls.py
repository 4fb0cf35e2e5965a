from django.urls import path

from recommendations.views import dials, posters, private, resets

app_name = "recommendations"

urlpatterns = [
    path("command-center/recommendations", dials.cc_dials, name="cc_dials"),
    path("command-center/resets", resets.cc_resets, name="cc_resets"),
    path("command-center/private-rows", private.cc_private, name="cc_private"),
    path("command-center/posters", posters.cc_posters, name="cc_posters"),
    path("command-center/posters/<slug:kind>/reset", posters.poster_reset,
         name="poster_reset"),
    path("command-center/posters/<slug:kind>.img", posters.poster_image,
         name="poster_image"),
]
