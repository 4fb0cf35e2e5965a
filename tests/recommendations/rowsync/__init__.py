"""The row sync core (recommendations.rows.apply.sync_section) against the Plex double."""
