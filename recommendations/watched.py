"""What a viewer already watched, as TMDB ids, from Plex watch history.

History entries name Plex ratingKeys (episodes name their show only by grandparentKey on real
servers: vault.plexparse.show_rating_key reads either); the library mirror (vault.PlexItem)
turns them into TMDB ids in one query.
"""

from __future__ import annotations

from datetime import datetime

from vault.plexparse import show_rating_key


def history_rating_keys(entries) -> set[int]:
    """Movie ratingKeys and, for episodes, their show's ratingKey."""
    keys = set()
    for entry in entries:
        kind = getattr(entry, "type", None)
        key = show_rating_key(entry) if kind == "episode" else getattr(entry, "ratingKey", None)
        if key not in (None, ""):
            keys.add(int(key))
    return keys


def watched_tmdb_ids(library, entries) -> set[int]:
    from vault.models import PlexItem

    keys = history_rating_keys(entries)
    if not keys:
        return set()
    return set(PlexItem.objects.filter(library=library, rating_key__in=keys,
                                       tmdb_id__isnull=False)
               .values_list("tmdb_id", flat=True))


def viewer_history(plex, viewer, library, since: datetime | None = None, limit: int = 2000):
    """plexapi history of one viewer in one library (one request per 100 entries)."""
    return plex.history(maxresults=limit, mindate=since, accountID=viewer.account_id,
                        librarySectionID=int(library.key))


def watched_set(plex, viewer, library, since: datetime | None = None) -> set[int]:
    return watched_tmdb_ids(library, viewer_history(plex, viewer, library, since))
