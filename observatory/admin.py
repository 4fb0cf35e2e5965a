from django.contrib import admin

from observatory.models import Decision


@admin.register(Decision)
class DecisionAdmin(admin.ModelAdmin):
    list_display = ("title", "action", "deck_pass", "viewer", "library", "decided_at",
                    "applied_at", "undone")
    list_filter = ("action", "deck_pass", "undone")
    list_select_related = ("viewer", "library")
    search_fields = ("title", "tmdb_id")
    readonly_fields = ("decided_at", "applied_at", "effect")
