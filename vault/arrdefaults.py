"""The add defaults Radarr and Sonarr accept that are not read from the service: their
OpenAPI enums (Radarr MovieStatusType, Sonarr SeriesTypes and MonitorTypes)."""

from __future__ import annotations

MINIMUM_AVAILABILITY = (("announced", "Announced"), ("inCinemas", "In cinemas"),
                        ("released", "Released"))
SERIES_TYPES = (("standard", "Standard"), ("daily", "Daily"), ("anime", "Anime"))
SEASON_MONITOR = (("all", "All seasons"), ("future", "Future episodes"),
                  ("missing", "Missing episodes"), ("existing", "Existing episodes"),
                  ("firstSeason", "First season"), ("lastSeason", "Last season"),
                  ("latestSeason", "Latest season"),
                  ("pilot", "Pilot episode"), ("none", "None"))
STATIC = {"minimum_availability": MINIMUM_AVAILABILITY, "series_type": SERIES_TYPES,
          "season_monitor": SEASON_MONITOR}
