from django.contrib import admin

from immaculaterr.models import Heartbeat, LoginAttempt

admin.site.site_header = "Immaculaterr data"
admin.site.site_title = "Immaculaterr"


@admin.register(Heartbeat)
class HeartbeatAdmin(admin.ModelAdmin):
    list_display = ("name", "seen_at", "detail")
    readonly_fields = ("name", "seen_at", "detail")


@admin.register(LoginAttempt)
class LoginAttemptAdmin(admin.ModelAdmin):
    list_display = ("username", "address", "at")
    list_filter = ("at",)
    search_fields = ("username", "address")
    readonly_fields = ("username", "address", "at")
