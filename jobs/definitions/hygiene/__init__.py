"""Library hygiene for Cleanup After Adding New Content: duplicate groups (groups.py), the rule
that picks the version to keep (keep.py), and the Plex/ARR actions (actions.py)."""
