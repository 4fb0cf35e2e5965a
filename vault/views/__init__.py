"""The Vault's pages: the integrations cards (integrations), Sign in with Plex (plex), and the
Command Center's library and viewer choices (command_center)."""
