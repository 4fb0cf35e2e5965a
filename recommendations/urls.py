from django.urls import path

from recommendations import views
from recommendations.views_resets import cc_resets

app_name = "recommendations"

urlpatterns = [
    path("command-center/recommendations", views.cc_dials, name="cc_dials"),
    path("command-center/resets", cc_resets, name="cc_resets"),
]

from recommendations import urls_posters  # noqa: E402  (Command Center → Posters)

urlpatterns += urls_posters.urlpatterns
