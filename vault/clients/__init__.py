"""One client module per outside service, over one HTTP helper (http.py).

    from vault.clients import plex_server, tmdb, openai_client, google, radarr, sonarr, overseerr
"""

from vault.clients.errors import (  # noqa: F401
    AuthError,
    BadResponseError,
    NotConfigured,
    NotFoundError,
    ServiceError,
    UnavailableError,
)
from vault.clients.factory import (  # noqa: F401
    google,
    openai_client,
    overseerr,
    plex_server,
    radarr,
    sonarr,
    tmdb,
)
