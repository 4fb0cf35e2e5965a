"""The real, unpatched plexapi against the Plex and plex.tv doubles.

Each test proves one call the app relies on: what it returns and how many requests it costs.
(plexapi only reads its config file and never writes under the home directory.)
"""
