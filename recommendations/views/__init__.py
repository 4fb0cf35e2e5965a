"""The Command Center pages of this app, one module per page (dials, resets, posters)."""
