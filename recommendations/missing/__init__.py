"""Sending the titles a run found missing from Plex to Radarr, Sonarr or Overseerr."""
