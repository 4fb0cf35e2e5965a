from django.urls import path

from recommendations import views_posters

urlpatterns = [
    path("command-center/posters", views_posters.cc_posters, name="cc_posters"),
    path("command-center/posters/<slug:kind>/reset", views_posters.poster_reset,
         name="poster_reset"),
    path("command-center/posters/<slug:kind>.img", views_posters.poster_image,
         name="poster_image"),
]
