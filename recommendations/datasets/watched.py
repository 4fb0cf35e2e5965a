"""What a viewer already watched, as TMDB ids, from Plex watch history.

History entries name Plex ratingKeys (episodes name their show only by grandparentKey on real
servers: vault.mirror.parse.show_rating_key reads either); the library mirror (vault.PlexItem)
turns them into TMDB ids in one query.
"""

from __future__ import annotations

from datetime import datetime

from recommendations.engine.tmdbcache import BudgetExhausted, CachedTmdb
from recommendations.models import (
    ImmaculateTasteTitle,
    LatestWatchedTitle,
    RecommendationSettings,
)
from vault import integrations
from vault.clients import factory
from vault.clients import plex as plex_client
from vault.clients.errors import ServiceError
from vault.mirror.parse import entry_attr, show_rating_key
from vault.models import PlexItem


def history_rating_keys(entries) -> set[int]:
    """Movie ratingKeys and, for episodes, their show's ratingKey (plexapi objects or XML
    elements)."""
    keys = set()
    for entry in entries:
        kind = entry_attr(entry, "type")
        key = show_rating_key(entry) if kind == "episode" else entry_attr(entry, "ratingKey")
        if key not in (None, ""):
            keys.add(int(key))
    return keys


def watched_tmdb_ids(library, entries, tmdb=None) -> set[int]:
    """TMDB ids of the watched movies/shows. Items a legacy agent matched carry only an IMDb
    (movies) or TVDB (shows) id: they are mapped through our own dataset rows (no request),
    else through TMDB's /find (cached 30 days) when `tmdb` is given. Zero Plex requests."""
    keys = history_rating_keys(entries)
    if not keys:
        return set()
    rows = PlexItem.objects.filter(library=library, rating_key__in=keys)\
        .values_list("tmdb_id", "imdb_id", "tvdb_id")
    found = {tmdb_id for tmdb_id, _, _ in rows if tmdb_id}
    legacy = [(imdb or None, tvdb) for tmdb_id, imdb, tvdb in rows
              if not tmdb_id and (imdb or tvdb)]
    return found | _legacy_tmdb_ids(library, legacy, tmdb)


def _legacy_tmdb_ids(library, legacy: list[tuple], tmdb) -> set[int]:
    """TMDB ids for (imdb id, tvdb id) pairs of legacy-agent items."""
    if not legacy:
        return set()
    imdb = {i for i, _ in legacy if i}
    tvdb = {v for _, v in legacy if v}
    known_imdb, known_tvdb = {}, {}
    for model in (ImmaculateTasteTitle, LatestWatchedTitle):
        for tmdb_id, i, v in model.objects.filter(library=library).values_list(
                "tmdb_id", "imdb_id", "tvdb_id"):
            if i in imdb:
                known_imdb[i] = tmdb_id
            if v in tvdb:
                known_tvdb[v] = tmdb_id
    found = set(known_imdb.values()) | set(known_tvdb.values())
    if tmdb is None:
        return found
    results = "tv_results" if library.kind == "show" else "movie_results"
    for i, v in legacy:
        if (i and i in known_imdb) or (v and v in known_tvdb):
            continue
        try:
            answer = tmdb.find(i, "imdb_id") if i else tmdb.find(str(v), "tvdb_id")
        except (ServiceError, BudgetExhausted):  # unmapped titles stay in; the run goes on
            break
        hits = (answer or {}).get(results) or []
        if hits and hits[0].get("id"):
            found.add(int(hits[0]["id"]))
    return found


def _tmdb():
    """A cached TMDB client when TMDB is enabled, else None."""
    if not integrations.is_enabled("tmdb"):
        return None
    return CachedTmdb(factory.tmdb(), budget=RecommendationSettings.load().tmdb_request_budget)


def viewer_history(plex, viewer, library, since: datetime | None = None, limit: int = 2000):
    """plexapi history of one viewer in one library (one request per 100 entries). The last
    answer is kept on the run's server object, so a step that asks again for the same viewer,
    library and window reuses it; only one is kept, so a sweep's memory does not grow with its
    viewers. (Fresh Out, which needs only the keys, reads them with `history_keys`.)"""
    key = (viewer.account_id, str(library.key), since, limit)
    last = getattr(plex, "_last_history", None)
    if isinstance(last, tuple) and last[0] == key:
        return last[1]
    entries = plex.history(maxresults=limit, mindate=since, accountID=viewer.account_id,
                           librarySectionID=int(library.key))
    try:
        plex._last_history = (key, entries)
    except AttributeError:  # a server object that takes no attributes: just no reuse
        pass
    return entries


def history_keys(plex, viewer, library, since: datetime | None = None,
                 limit: int = 2000) -> set[int]:
    """`history_rating_keys(viewer_history(...))` from the same requests, read as XML elements
    (vault.clients.plex.history): for a caller that needs only the keys (Fresh Out)."""
    return history_rating_keys(plex_client.history(plex, viewer.account_id,
                                                   int(library.key) if library.key else None,
                                                   since, limit))


def watched_set(plex, viewer, library, since: datetime | None = None, tmdb=None) -> set[int]:
    entries = viewer_history(plex, viewer, library, since)
    return watched_tmdb_ids(library, entries, tmdb if tmdb is not None else _tmdb())
