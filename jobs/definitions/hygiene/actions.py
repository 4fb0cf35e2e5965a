"""What the cleanup changes outside: unmonitoring in Radarr (movies Plex now has) and Sonarr
(single duplicate episodes, never the series), and deleting non-kept versions through Plex.

Each returns the lines of the Plex/ARR diff; on a dry run the lines say "would" and no
request that changes anything is sent. A service that is not set up is a reasoned skip; one
that fails is a failed service card (the run ends partial), never a half-written step."""

from __future__ import annotations

from jobs.context import JobContext
from jobs.definitions.hygiene.keep import Version
from vault import integrations
from vault.clients import factory
from vault.clients import plex as plex_client
from vault.clients.errors import ServiceError

NOT_SET_UP = {
    "radarr": ("radarr_not_set_up", "Radarr is not set up, so no movie was unmonitored."),
    "sonarr": ("sonarr_not_set_up", "Sonarr is not set up, so no episode was unmonitored."),
}


def _ready(ctx: JobContext, service: str, wanted: bool) -> bool:
    if not wanted:
        return False
    if not integrations.is_enabled(service):
        ctx.report.skip(*NOT_SET_UP[service])
        ctx.report.service(service, "not_enabled", NOT_SET_UP[service][1])
        return False
    return True


def _radarr_movies(client, movies: dict[tuple, str]) -> list[dict]:
    """The Radarr movies among `movies`: the whole library in one request (matched by TMDB
    id, else IMDb id, as legacy-agent items carry only that), or, with a client that cannot
    list it, one lookup per TMDB id."""
    list_all = getattr(client, "movies", None)
    if list_all is None:
        return [m for m in (client.movie(t) for t, _ in sorted(movies, key=str) if t) if m]
    tmdb = {t for t, _ in movies if t}
    imdb = {i for _, i in movies if i}
    return [m for m in list_all() if m.get("tmdbId") in tmdb or (m.get("imdbId") or "") in imdb]


def unmonitor_movies(ctx: JobContext, movies: dict[tuple, str]) -> list[dict]:
    """{(tmdb id or None, imdb id or ""): title}: each monitored Radarr movie among them
    unmonitored in one bulk edit (PUT /api/v3/movie/editor)."""
    if not _ready(ctx, "radarr", bool(movies)):
        return []
    titles = {ident: title for (t, i), title in movies.items() for ident in (t, i) if ident}
    try:
        client = factory.radarr()
        found = _radarr_movies(client, movies)
        chosen = sorted((m for m in found if m.get("monitored")), key=lambda m: m["id"])
        if chosen and not ctx.dry_run:
            client.set_monitored([m["id"] for m in chosen], False)
    except ServiceError as exc:
        ctx.report.service("radarr", "failed", str(exc))
        return []
    verb = "would be unmonitored" if ctx.dry_run else "unmonitored"
    lines = [{"service": "radarr", "tmdb_id": m.get("tmdbId"), "radarr_id": m["id"],
              "title": titles.get(m.get("tmdbId")) or titles.get(m.get("imdbId")) or
              m.get("title", ""), "action": verb} for m in chosen]
    ctx.report.service("radarr", "ok", f"{len(lines)} {verb}; {len(movies) - len(lines)} not "
                                       "in Radarr or already unmonitored")
    return lines


def unmonitor_episodes(ctx: JobContext, episodes: dict[tuple, str]) -> list[dict]:
    """{(tvdb id, season, episode): label}: those Sonarr episodes unmonitored (PUT
    /api/v3/episode/monitor); the series and its other episodes are left alone."""
    if not _ready(ctx, "sonarr", bool(episodes)):
        return []
    lines, verb = [], "would be unmonitored" if ctx.dry_run else "unmonitored"
    try:
        client = factory.sonarr()
        by_show: dict[int, list[tuple]] = {}
        for key in episodes:
            by_show.setdefault(key[0], []).append(key)
        chosen = []
        for tvdb, keys in sorted(by_show.items()):
            series = client.series(tvdb)
            if not series:
                continue
            wanted = {(s, e) for _, s, e in keys}
            for ep in client.episodes(series[0]["id"]):
                where = (ep.get("seasonNumber"), ep.get("episodeNumber"))
                if where in wanted and ep.get("monitored"):
                    chosen.append(ep["id"])
                    lines.append({"service": "sonarr", "tvdb_id": tvdb, "episode_id": ep["id"],
                                  "title": episodes[(tvdb, *where)], "action": verb})
        if chosen and not ctx.dry_run:
            client.set_episodes_monitored(sorted(chosen), False)
    except ServiceError as exc:
        ctx.report.service("sonarr", "failed", str(exc))
        return []
    ctx.report.service("sonarr", "ok", f"{len(lines)} episode(s) {verb}; series stay "
                                       "monitored")
    return lines


DELETION_OFF = ("deletion_off", "Deleting duplicates is off (Command Center › Duplicate "
                                "cleanup), so nothing was deleted.")
NOT_ALLOWED = ("deletion_not_allowed", "Plex does not allow media deletion (Settings › "
                                       "Library › Allow media deletion), so nothing was deleted.")


def delete_versions(ctx: JobContext, server, doomed: list[Version], enabled: bool,
                    kept: set[tuple[int, int]]) -> list[dict]:
    """Delete `doomed` through Plex, only when deletion is on and the server allows it, and
    never a kept version (checked again here, whatever the caller passed)."""
    doomed = [v for v in doomed if v.key not in kept]
    if not doomed:
        return []
    if not enabled:
        ctx.report.skip(*DELETION_OFF)
        return []
    if not plex_client.media_deletion_allowed(server):
        ctx.report.skip(*NOT_ALLOWED)
        return []
    lines = []
    for v in doomed:
        line = {"service": "plex", "rating_key": v.rating_key, "media_id": v.media_id,
                "file": v.file, "title": v.title, "action": "would be deleted"}
        if not ctx.dry_run:
            try:
                plex_client.delete_media(server, v.rating_key, v.media_id)
                line["action"] = "deleted"
            except ServiceError as exc:
                ctx.report.service("plex", "failed", f"Deleting {v.file or v.title}: {exc}")
                line["action"] = "not deleted"
        lines.append(line)
    return lines
