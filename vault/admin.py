"""Admin: integrations show which secrets are set, never ciphertext nor plain text."""

from django.contrib import admin

from vault import crypto
from vault.integrations import UNREADABLE
from vault.models import Integration, PlexItem, PlexLibrary, PlexViewer


@admin.register(Integration)
class IntegrationAdmin(admin.ModelAdmin):
    list_display = ["service", "enabled", "secrets_set", "updated_at"]
    list_filter = ["enabled"]
    fields = ["service", "enabled", "settings", "secrets_set", "updated_at"]
    readonly_fields = ["service", "settings", "secrets_set", "updated_at"]

    @admin.display(description="Secrets")
    def secrets_set(self, obj: Integration) -> str:
        # Names and key ids only: decrypting here would fetch plain text into the admin.
        current = crypto.key_id(crypto.master_key())
        foreign = sorted(n for n, t in obj.secrets.items() if crypto.token_key_id(t) != current)
        listed = ", ".join(f"{name} set" for name in sorted(obj.secrets)) or "none"
        return f"{listed} — {', '.join(foreign)}: {UNREADABLE}" if foreign else listed

    def has_add_permission(self, request) -> bool:
        return False  # integrations are created by the Vault page and `vault set`


@admin.register(PlexViewer)
class PlexViewerAdmin(admin.ModelAdmin):
    list_display = ["name", "account_id", "kind", "is_owner", "monitored", "present"]
    list_editable = ["monitored"]
    list_filter = ["kind", "monitored", "present"]
    search_fields = ["name"]
    readonly_fields = ["account_id", "name", "is_owner", "kind", "present", "plextv_id",
                       "synced_at"]

    def has_add_permission(self, request) -> bool:
        return False  # mirrored from Plex


@admin.register(PlexLibrary)
class PlexLibraryAdmin(admin.ModelAdmin):
    list_display = ["title", "key", "kind", "selected", "present", "item_count", "indexed_at"]
    list_editable = ["selected"]
    list_filter = ["kind", "selected", "present"]
    search_fields = ["title"]
    readonly_fields = [*("key", "kind", "title", "present", "uuid", "agent",
                                   "plex_updated_at", "plex_content_changed_at",
                                   "indexed_updated_at", "indexed_content_changed_at",
                                   "item_high_water", "generation", "item_count",
                                   "indexed_at")]

    def has_add_permission(self, request) -> bool:
        return False  # mirrored from Plex

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not PlexLibrary.objects.filter(selected=True, present=True).exists():
            obj.selected = True  # at least one library must stay selected
            obj.save(update_fields=["selected"])
            self.message_user(request, "At least one library must stay selected; "
                                       f"“{obj.title}” was kept.", level="warning")


@admin.register(PlexItem)
class PlexItemAdmin(admin.ModelAdmin):
    list_display = ["title", "year", "kind", "library", "rating_key", "tmdb_id", "imdb_id",
                    "tvdb_id", "added_at"]
    list_filter = ["kind", "library"]
    list_select_related = ["library"]
    search_fields = ["title", "=imdb_id"]
    readonly_fields = [f.name for f in PlexItem._meta.fields]
    show_full_result_count = False

    def has_add_permission(self, request) -> bool:
        return False  # mirrored from Plex


