"""One client module per outside service, over one HTTP helper (http.py).

This package module imports nothing, so the client modules can import `vault.clients.http`
without a circle. Import each thing from the module that defines it:

- factory.py: ready-to-use clients built from the Vault (plex_server, tmdb, openai_client,
  google, radarr, sonarr, overseerr).
- errors.py: the typed ServiceError family and the mapping of library exceptions onto it.
- http.py: the shared requests session, timeouts, retries and the per-request hook.
- plex.py, plextv.py, tmdb.py, openai_api.py, google.py, radarr.py, sonarr.py, overseerr.py
  (over arr.py): one module per service.
"""
