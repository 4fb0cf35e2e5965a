"""Keep cached keys and clients in step with settings (tests and rotation change them)."""

from vault import crypto

WATCHED = {"APP_MASTER_KEY", "APP_MASTER_KEY_FILE", "DATA_DIR", "TMDB_BASE_URL"}


def settings_changed(setting: str, **kwargs) -> None:
    if setting in WATCHED:
        crypto.reset()
