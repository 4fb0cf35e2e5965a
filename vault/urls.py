from django.urls import path

from vault import views, views_cc, views_plex

app_name = "vault"

urlpatterns = [
    path("vault", views.index, name="index"),
    path("vault/plex/signin", views_plex.start, name="plex_signin"),
    path("vault/plex/signin/poll", views_plex.poll, name="plex_signin_poll"),
    path("vault/plex/signin/choose", views_plex.choose, name="plex_signin_choose"),
    path("vault/<slug:service>", views.save, name="save"),
    path("vault/<slug:service>/test", views.test, name="test"),
    path("vault/<slug:service>/choices", views.arr_choices, name="arr_choices"),
    path("command-center/libraries", views_cc.libraries, name="cc_libraries"),
    path("command-center/viewers", views_cc.viewers, name="cc_viewers"),
    path("command-center/plex-sync", views_cc.plex_sync, name="plex_sync"),
]
