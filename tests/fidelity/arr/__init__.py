"""Radarr, Sonarr and Overseerr doubles driven over HTTP with requests, the way the app's
clients will: add, duplicate, re-monitor, bulk edit, commands, requests and their refusals."""
