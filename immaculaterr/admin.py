from django.contrib import admin

from immaculaterr.models import Heartbeat, LoginAttempt

admin.site.site_header = "Immaculaterr data"
admin.site.site_title = "Immaculaterr"


@admin.register(Heartbeat)
class HeartbeatAdmin(admin.ModelAdmin):
    list_display = ("name", "seen_at", "detail")
    readonly_fields = ("name", "seen_at", "detail")

    def has_add_permission(self, request) -> bool:
        return False  # written by the worker and beat, never by hand


@admin.register(LoginAttempt)
class LoginAttemptAdmin(admin.ModelAdmin):
    list_display = ("username", "address", "at")
    list_filter = ("at",)
    search_fields = ("username", "address")
    readonly_fields = ("username", "address", "at")

    def has_add_permission(self, request) -> bool:
        return False  # written by sign-in, never by hand
