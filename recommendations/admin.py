from django.contrib import admin

from recommendations.models import (
    ImmaculateTasteTitle,
    LatestWatchedTitle,
    MissingSend,
    RecommendationSettings,
    RejectedTitle,
    TmdbCacheEntry,
)


@admin.register(RecommendationSettings)
class RecommendationSettingsAdmin(admin.ModelAdmin):
    list_display = ("__str__", "suggestions_per_run", "upcoming_percent", "max_points",
                    "collection_limit", "tmdb_request_budget")

    def has_add_permission(self, request) -> bool:
        return not RecommendationSettings.objects.exists()  # one row, pk 1


@admin.register(ImmaculateTasteTitle)
class ImmaculateTasteTitleAdmin(admin.ModelAdmin):
    list_display = ("title", "year", "viewer", "library", "media_type", "status", "points",
                    "approval", "vote_average", "rating_key", "last_suggested_at")
    list_filter = ("status", "approval", "media_type", "viewer", "library")
    search_fields = ("title", "=tmdb_id", "=tvdb_id", "=imdb_id", "viewer__name", "why")
    list_select_related = ("viewer", "library")
    readonly_fields = ("first_suggested_at", "last_suggested_at", "sent_radarr_at",
                       "sent_sonarr_at", "sent_overseerr_at")
    ordering = ("-last_suggested_at",)


@admin.register(LatestWatchedTitle)
class LatestWatchedTitleAdmin(admin.ModelAdmin):
    list_display = ("title", "year", "viewer", "library", "list_kind", "position", "status",
                    "rating_key", "suggested_at")
    list_filter = ("list_kind", "status", "media_type", "viewer", "library")
    search_fields = ("title", "=tmdb_id", "=tvdb_id", "=imdb_id", "viewer__name", "why")
    list_select_related = ("viewer", "library")
    readonly_fields = ("suggested_at",)


@admin.register(RejectedTitle)
class RejectedTitleAdmin(admin.ModelAdmin):
    list_display = ("title", "tmdb_id", "viewer", "media_type", "rejected_at")
    list_filter = ("media_type", "viewer")
    search_fields = ("title", "=tmdb_id", "viewer__name")
    list_select_related = ("viewer",)
    readonly_fields = ("rejected_at",)


@admin.register(TmdbCacheEntry)
class TmdbCacheEntryAdmin(admin.ModelAdmin):
    list_display = ("key", "endpoint", "fetched_at", "expires_at")
    list_filter = ("endpoint",)
    search_fields = ("key",)
    readonly_fields = ("key", "endpoint", "payload", "fetched_at", "expires_at")

    def has_add_permission(self, request) -> bool:
        return False  # TMDB answers, stored by the engine


@admin.register(MissingSend)
class MissingSendAdmin(admin.ModelAdmin):
    """Read-only: rows change through runs and the Observatory's decisions, never by hand."""

    list_display = ("title", "year", "viewer", "route", "state", "sent_at", "reason")
    list_filter = ("route", "state", "media_type", "viewer")
    search_fields = ("title", "=tmdb_id", "=tvdb_id", "viewer__name")
    list_select_related = ("viewer",)
    ordering = ("-found_at",)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
