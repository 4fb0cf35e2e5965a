from django.urls import path

from observatory import posters, rejected
from observatory.deck import views

app_name = "observatory"

urlpatterns = [
    path("observatory", views.deck, name="deck"),
    path("observatory/decide", views.decide, name="decide"),
    path("observatory/undo", views.undo, name="undo"),
    path("observatory/poster/<str:kind>/<int:tmdb_id>", posters.poster, name="poster"),
    path("observatory/rejected", rejected.rejected_list, name="rejected"),
]
