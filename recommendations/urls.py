from django.urls import path

from recommendations import views

app_name = "recommendations"

urlpatterns = [
    path("command-center/recommendations", views.cc_dials, name="cc_dials"),
]

from recommendations import urls_posters  # noqa: E402  (Command Center → Posters)

urlpatterns += urls_posters.urlpatterns
