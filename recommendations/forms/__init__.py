"""Forms of the Command Center pages, one module per page (dials, resets)."""
