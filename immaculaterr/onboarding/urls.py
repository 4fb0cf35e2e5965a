from django.urls import path

from immaculaterr.onboarding import views

app_name = "onboarding"

urlpatterns = [
    path("onboarding", views.index, name="index"),
    path("onboarding/import-status", views.import_status, name="import_status"),
    path("onboarding/<slug:slug>", views.step, name="step"),
]
