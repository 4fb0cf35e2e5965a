"""One client module per outside service."""
