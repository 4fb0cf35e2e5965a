"""Radarr and Sonarr hygiene: Confirm Monitored (`monitor_confirm`, 01:00) and Search Monitored
(`arr_monitored_search`, Sundays 04:00).

Confirm Monitored unmonitors in Radarr every monitored movie Plex has, in one bulk edit
(PUT /movie/editor), matched by TMDB id (IMDb id for legacy-agent items) through the mirror:
zero Plex searches. In Sonarr it unmonitors the episodes Plex has, at the episode level
(PUT /episode/monitor, batched): the series stays monitored, so new episodes still come. The
mirror indexes shows, not episodes, so the episodes come from Plex's episode listing of the TV
libraries that hold a matched show (pages of 1,000, `?type=4`).

Search Monitored asks Radarr for its missing monitored movies that are available and Sonarr for
its missing monitored episodes (GET /wanted/missing, least recently searched first) and sends
one MoviesSearch and one EpisodeSearch for at most ARR_SEARCH_MAX of each (a Django setting,
default 100), so a weekly run works a big backlog off in turns instead of flooding indexers.

Both: a service not set up is skipped with its reason, a failing one fails its card (the other
goes on; the run ends partial), nothing to do ends the run skipped; the report lists each title
before → after; a dry run reads Radarr, Sonarr and Plex and writes nothing.
"""

from __future__ import annotations

from jobs import scoping
from jobs.context import JobContext
from jobs.definitions.steps import plex, refresh_mirror
from jobs.errors import JobSkipped
from jobs.registry import job
from vault.clients import factory
from vault.clients.errors import NotConfigured, ServiceError
from vault.clients.plex import library_episodes
from vault.mirror import lookup
from vault.mirror.reader import selected_libraries
from vault.models import PlexItem

SEARCH_MAX = 100  # default of the ARR_SEARCH_MAX setting: titles searched per service per run
LIST_MAX = 500  # titles a report lists per service (the counts cover all of them)
SERVICES = {"radarr": ("Radarr", "movies"), "sonarr": ("Sonarr", "episodes")}
UNMONITORED = "monitored → unmonitored"


def clients(ctx: JobContext, verb: str) -> dict:
    """The configured Radarr and Sonarr clients; a missing one is a reasoned skip."""
    found = {}
    for key, (name, what) in SERVICES.items():
        try:
            found[key] = factory.BUILDERS[key]()
        except NotConfigured as exc:
            ctx.report.service(name, "not_enabled", str(exc))
            ctx.report.skip(f"{key}_not_set_up", f"{name} is not set up in the Vault, so no "
                                                 f"{what} were {verb}.", name)
    if not found:
        raise JobSkipped("arr_not_set_up", f"Neither Radarr nor Sonarr is set up in the Vault, "
                                           f"so nothing was {verb}.")
    return found


def each_service(ctx: JobContext, found: dict, work: dict) -> dict[str, int]:
    """Run each service's part; a failing service fails its card and the others go on. When
    every one fails, the first error ends the run (the runner tells retryable ones apart)."""
    done, errors = {}, []
    for key, client in found.items():
        try:
            done[key] = work[key](ctx, client)
        except ServiceError as exc:
            ctx.report.service(SERVICES[key][0], "failed", str(exc))
            errors.append(exc)
    if errors and not done:
        raise errors[0]
    return done


def listed(ctx: JobContext, title: str, items: list[dict]) -> None:
    ctx.report.add_list(title, items[:LIST_MAX])
    if len(items) > LIST_MAX:
        ctx.report.note(f"{title}: {len(items) - LIST_MAX} more not listed.")


def would(ctx: JobContext, done: str, dry: str) -> str:
    return dry if ctx.dry_run else done


def n_of(n: int, words: str) -> str:
    """"1 movie", "2 movies", "1 missing monitored episode"."""
    return f"{n} {words[:-1] if n == 1 and words.endswith('s') else words}"


def done_parts(done: dict[str, int]) -> str:
    parts = [f"{n_of(done['radarr'], 'movies')} in Radarr"] if "radarr" in done else []
    parts += [f"{n_of(done['sonarr'], 'episodes')} in Sonarr"] if "sonarr" in done else []
    return " and ".join(parts)


# Confirm Monitored: movies ---------------------------------------------------------------------
def plex_movies(movies: list[dict]) -> dict[int, str]:
    """{Radarr movie id: title of the Plex library that has it}, by TMDB id, else by IMDb id
    for items a legacy agent matched. Database only: zero Plex requests."""
    by_tmdb = lookup.items_for("movie", [m["tmdbId"] for m in movies if m.get("tmdbId")])
    found = {m["id"]: by_tmdb[m["tmdbId"]][0].library.title for m in movies
             if m.get("tmdbId") in by_tmdb}
    rest = {m["imdbId"]: m["id"] for m in movies if m["id"] not in found and m.get("imdbId")}
    for library in selected_libraries("movie") if rest else ():
        if lookup.has_imdb_only_items(library):
            for imdb in lookup.rating_keys_for_imdb(library, list(rest)):
                found.setdefault(rest[imdb], library.title)
    return found


def confirm_movies(ctx: JobContext, radarr) -> int:
    with ctx.report.step("Radarr movies") as counts:
        movies = radarr.movies()
        monitored = [m for m in movies if m.get("monitored")]
        in_plex = plex_movies(monitored)
        counts.update(movies=len(movies), monitored=len(monitored), in_plex=len(in_plex))
    targets = [m for m in monitored if m["id"] in in_plex]
    listed(ctx, would(ctx, "Radarr: unmonitored", "Radarr: would be unmonitored"), [
        {"title": m.get("title") or "", "year": m.get("year"), "status": UNMONITORED,
         "why": f"In Plex ({in_plex[m['id']]})"} for m in targets])
    if targets and not ctx.dry_run:
        with ctx.report.step("Radarr bulk edit", movies=len(targets)):
            radarr.set_monitored([m["id"] for m in targets], False)
    ctx.report.service("Radarr", "ok", would(ctx, "", "would be ") + "unmonitored: "
                       f"{len(targets)} of {n_of(len(monitored), 'monitored movies')} (Plex "
                       "has them)")
    return len(targets)


# Confirm Monitored: episodes -------------------------------------------------------------------
def series_keys(record: dict) -> list[tuple[str, object]]:
    return [(name, record[field]) for name, field in
            (("tvdb", "tvdbId"), ("tmdb", "tmdbId"), ("imdb", "imdbId")) if record.get(field)]


def plex_shows() -> dict[tuple[str, object], PlexItem]:
    """The shows of the selected TV libraries by TVDB, TMDB and IMDb id (mirror only)."""
    shows: dict[tuple[str, object], PlexItem] = {}
    items = PlexItem.objects.filter(library__in=selected_libraries("show"), kind="show")\
        .select_related("library").order_by("rating_key")
    for item in items:
        for key in (("tvdb", item.tvdb_id), ("tmdb", item.tmdb_id), ("imdb", item.imdb_id)):
            if key[1]:
                shows.setdefault(key, item)
    return shows


def plex_episodes(ctx: JobContext, shows: list[PlexItem]) -> dict[int, set[tuple[int, int]]]:
    """{show ratingKey: {(season, episode)}} Plex has, from the episode listing of each
    library holding one of `shows` (the mirror has no episodes)."""
    wanted = {s.rating_key for s in shows}
    have: dict[int, set[tuple[int, int]]] = {}
    for library in sorted({s.library for s in shows}, key=lambda lib: lib.key):
        for el in library_episodes(plex(ctx), library.key):
            show = int(el.get("grandparentRatingKey") or 0)
            season, number = el.get("parentIndex"), el.get("index")
            if show in wanted and season is not None and number is not None:
                have.setdefault(show, set()).add((int(season), int(number)))
    return have


def episode_line(series: dict, e: dict, library: str) -> dict:
    code = f"S{e.get('seasonNumber', 0):02d}E{e.get('episodeNumber', 0):02d}"
    name = f" {e['title']}" if e.get("title") else ""
    return {"title": f"{series.get('title') or 'A series'} · {code}{name}", "status": UNMONITORED,
            "why": f"In Plex ({library}); the series stays monitored"}


def confirm_episodes(ctx: JobContext, sonarr) -> int:
    with ctx.report.step("Sonarr episodes") as counts:
        series = sonarr.series()
        shows = plex_shows()
        matched = {s["id"]: next(shows[k] for k in series_keys(s) if k in shows)
                   for s in series if any(k in shows for k in series_keys(s))}
        have = plex_episodes(ctx, list(matched.values())) if matched else {}
        targets = []
        for s in series:
            show = matched.get(s["id"])
            if show is None or not have.get(show.rating_key):
                continue
            targets += [(s, e, show.library.title) for e in sonarr.episodes(s["id"])
                        if e.get("monitored") and (e.get("seasonNumber"), e.get(
                            "episodeNumber")) in have[show.rating_key]]
        counts.update(series=len(series), in_plex=len(matched), episodes=len(targets))
    listed(ctx, would(ctx, "Sonarr: unmonitored", "Sonarr: would be unmonitored"),
           [episode_line(s, e, library) for s, e, library in targets])
    if targets and not ctx.dry_run:
        with ctx.report.step("Sonarr episode monitor", episodes=len(targets)):
            sonarr.set_episodes_monitored([e["id"] for _, e, _ in targets], False)
    shows = len({s["id"] for s, _, _ in targets})
    ctx.report.service("Sonarr", "ok", would(ctx, "", "would be ") + f"unmonitored: "
                       f"{n_of(len(targets), 'episodes')} Plex has, in {shows} series (the "
                       "series stay monitored)")
    return len(targets)


@job("monitor_confirm", "Confirm Monitored", default_schedule="0 1 * * *")
def monitor_confirm(ctx: JobContext) -> None:
    """Unmonitor in Radarr the movies Plex already has (one bulk edit) and in Sonarr the
    episodes Plex already has (the series stay monitored, so new episodes still come)."""
    found = clients(ctx, "checked")
    scoping.require_plex()
    refresh_mirror(ctx)
    done = each_service(ctx, found, {"radarr": confirm_movies, "sonarr": confirm_episodes})
    if not any(done.values()) and len(done) == len(found):
        raise JobSkipped("nothing_to_unmonitor", "Nothing to unmonitor: Radarr and Sonarr "
                                                 "monitor nothing that Plex already has.")
    ctx.report.summary(would(ctx, "Unmonitored ", "Would unmonitor ") + done_parts(done)
                       + " that Plex already has.")


# Search Monitored ------------------------------------------------------------------------------
def search_max(ctx: JobContext) -> int:
    return max(0, int(getattr(ctx.settings, "ARR_SEARCH_MAX", SEARCH_MAX)))


def asked(ctx: JobContext, name: str, what: str, wanted, lines: list[dict]) -> None:
    listed(ctx, would(ctx, f"{name}: search asked", f"{name}: search would be asked"), lines)
    verb = would(ctx, "asked", "would ask")
    ctx.report.service(name, "ok", f"{verb} to search {len(wanted.records)} of "
                                   f"{n_of(wanted.total, 'missing monitored ' + what)}")
    if wanted.total > len(wanted.records) + wanted.passed:
        ctx.report.note(f"{name} has {n_of(wanted.total, 'missing monitored ' + what)}; this "
                        f"run {verb} for the {len(wanted.records)} searched least recently "
                        f"(at most {search_max(ctx)} a run), the rest come in later runs.")


def search_movies(ctx: JobContext, radarr) -> int:
    with ctx.report.step("Radarr missing") as counts:
        wanted = radarr.missing(search_max(ctx))
        counts.update(missing=wanted.total, asked=len(wanted.records),
                      not_available=wanted.passed, pages=wanted.pages)
    if wanted.passed:
        ctx.report.note(f"Radarr: {n_of(wanted.passed, 'missing monitored movies')} not "
                        "available yet (not released per their minimum availability), left "
                        "out.")
    asked(ctx, "Radarr", "movies", wanted, [
        {"title": m.get("title") or "", "year": m.get("year"), "status": "missing → searched",
         "why": "Monitored in Radarr, no file"} for m in wanted.records])
    if wanted.records and not ctx.dry_run:
        with ctx.report.step("Radarr search", movies=len(wanted.records)):
            radarr.search([m["id"] for m in wanted.records])
    return len(wanted.records)


def search_episodes(ctx: JobContext, sonarr) -> int:
    with ctx.report.step("Sonarr missing") as counts:
        wanted = sonarr.missing(search_max(ctx))
        counts.update(missing=wanted.total, asked=len(wanted.records), pages=wanted.pages)
    asked(ctx, "Sonarr", "episodes", wanted, [
        dict(episode_line(e.get("series") or {}, e, ""), status="missing → searched",
             why=f"Monitored in Sonarr, aired {str(e.get('airDate') or '')}, no file")
        for e in wanted.records])
    if wanted.records and not ctx.dry_run:
        with ctx.report.step("Sonarr search", episodes=len(wanted.records)):
            sonarr.search_episodes([e["id"] for e in wanted.records])
    return len(wanted.records)


@job("arr_monitored_search", "Search Monitored", default_schedule="0 4 * * 0")
def arr_monitored_search(ctx: JobContext) -> None:
    """Ask Radarr to search its missing monitored movies and Sonarr its missing monitored
    episodes (one bulk search each), least recently searched first, at most 100 of each a run
    unless configured otherwise."""
    found = clients(ctx, "searched")
    done = each_service(ctx, found, {"radarr": search_movies, "sonarr": search_episodes})
    if not any(done.values()) and len(done) == len(found):
        raise JobSkipped("nothing_missing", "Nothing to search: Radarr and Sonarr have no "
                                            "missing monitored titles.")
    ctx.report.summary(would(ctx, "Asked for a search of ", "Would ask for a search of ")
                       + done_parts(done) + ".")
