from django.urls import path

from vault.views import command_center, integrations, plex

app_name = "vault"

urlpatterns = [
    path("vault", integrations.index, name="index"),
    path("vault/plex/signin", plex.start, name="plex_signin"),
    path("vault/plex/signin/poll", plex.poll, name="plex_signin_poll"),
    path("vault/plex/signin/choose", plex.choose, name="plex_signin_choose"),
    path("vault/<slug:service>", integrations.save, name="save"),
    path("vault/<slug:service>/test", integrations.test, name="test"),
    path("vault/<slug:service>/choices", integrations.arr_choices, name="arr_choices"),
    path("command-center/libraries", command_center.libraries, name="cc_libraries"),
    path("command-center/viewers", command_center.viewers, name="cc_viewers"),
    path("command-center/plex-sync", command_center.plex_sync, name="plex_sync"),
]
