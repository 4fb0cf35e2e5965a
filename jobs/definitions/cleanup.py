"""Cleanup After Adding New Content (`media_added_cleanup`).

Scoped to the new items when Plex's `library.new` webhook or the recently-added check started
it (`seed["rating_keys"]`), a full sweep of the selected libraries when run by hand. It finds
duplicates (hygiene/groups.py), picks the version to keep per group (hygiene/keep.py, the
rule the Command Center configures), unmonitors in Radarr the movies Plex now has (the new
ones and the duplicated ones; Confirm Monitored covers the whole library) and in Sonarr the
single duplicate episodes, and deletes the other versions through Plex only when
the admin turned deletion on and the server allows it. A dry run reads and reports only.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from jobs import vaultlink
from jobs.context import JobContext
from jobs.definitions.hygiene import actions
from jobs.definitions.hygiene.groups import (
    Copy,
    Group,
    copy_of_episode,
    copy_of_item,
    episode_groups,
    movie_groups,
    refresh_versions,
    show_clusters,
)
from jobs.definitions.hygiene.keep import Decision, Rule, decide, deletions
from jobs.definitions.steps import plex, refresh_mirror
from jobs.errors import JobSkipped
from jobs.models import JobSetting
from jobs.registry import job
from jobs.report import Report
from jobs.triggers import recent  # noqa: F401 - registers the recently-added beat task
from vault.clients import plex as plex_client
from vault.mirror import lookup, reader

KEY = "media_added_cleanup"
SERVICE_NAMES = {"plex": "Plex", "radarr": "Radarr", "sonarr": "Sonarr"}


def rule_of(setting: JobSetting) -> Rule:
    return Rule.parse(setting.keep_order or "", setting.preserve_keywords or "")


def scoped_keys(ctx: JobContext) -> set[int] | None:
    """The new items' ratingKeys, or None for a full sweep."""
    keys = ctx.seed.get("rating_keys") or ([ctx.seed["rating_key"]]
                                           if ctx.seed.get("rating_key") else [])
    found = {int(k) for k in keys if str(k).isdigit()}
    return found or None


def _episodes(server, shows: list[Copy], libraries: dict, sweep: bool) -> list[Copy]:
    """Episodes of the shows (allLeaves per show), or of whole libraries on a sweep."""
    by_key = {s.rating_key: s for s in shows}
    found = []
    if sweep:
        for lib in libraries.values():
            for el in plex_client.library_episodes(server, lib.key):
                show = by_key.get(int(el.get("grandparentRatingKey") or 0))
                if show is not None:
                    found.append(copy_of_episode(el, lib, show))
        return found
    for show in shows:
        for el in plex_client.episodes_of(server, show.rating_key):
            found.append(copy_of_episode(el, libraries[show.library], show))
    return found


def find_groups(ctx, server, keys: set[int] | None) -> tuple[list[Group], list]:
    """(duplicate groups with fresh versions, the movie copies the run is about); `ctx` is a
    JobContext or anything with a `report` (the Command Center's preview)."""
    movies = [copy_of_item(i) for i in lookup.same_titles("movie", keys)]
    show_rows = lookup.same_titles("show", keys)
    libraries = {i.library.key: i.library for i in show_rows}
    shows = [copy_of_item(i) for i in show_rows]
    if keys is not None:
        known = {c.rating_key for c in movies + shows}
        if not keys & known:
            raise JobSkipped("nothing_new", "Nothing new to clean up: the new item is not in a "
                                            "selected library (or Plex no longer has it).")
    with ctx.report.step("duplicates") as counts:
        groups = movie_groups(movies)
        episodes = _episodes(server, shows, libraries, keys is None)
        groups += episode_groups(episodes, show_clusters(shows))
        rating_keys = [c.rating_key for g in groups for c in g.copies]
        refresh_versions(groups, plex_client.full_items(server, rating_keys))
        groups = [g for g in groups if len(g.versions) > 1]
        counts.update(movies=len(movies), shows=len(shows), episodes=len(episodes),
                      groups=len(groups))
    # a sweep unmonitors the duplicated movies only (Confirm Monitored does the library)
    scoped_movies = [c for c in movies if keys is not None and c.rating_key in keys]
    return groups, scoped_movies


def report_groups(ctx: JobContext, decisions: list[Decision], enabled: bool) -> None:
    items = []
    for d in decisions:
        gone = ", ".join(f"{v.label} in {v.library} ({v.file})" for v in d.delete)
        fate = ("would be deleted" if ctx.dry_run else "deleted") if enabled else \
            "to delete when deletion is on"
        items.append({"title": d.group, "status": f"kept: {d.kept.label}",
                      "why": f"{d.reason} Kept {d.kept.file} in {d.kept.library}. "
                             f"Other versions ({fate}): {gone}.",
                      "kept": {"rating_key": d.kept.rating_key, "media_id": d.kept.media_id,
                               "file": d.kept.file, "library": d.kept.library},
                      "delete": [{"rating_key": v.rating_key, "media_id": v.media_id,
                                  "file": v.file, "library": v.library} for v in d.delete]})
    ctx.report.add_list("Duplicates", items)


def report_diff(ctx: JobContext, lines: list[dict]) -> None:
    ctx.report.add_plan([{"row": f"{SERVICE_NAMES[line['service']]}: {line['title']}",
                          "action": line["action"],
                          "remove": [line["file"]] if line.get("file") else [],
                          "add": [], "other": []} for line in lines])
    ctx.report.attach("cleanup_diff", lines)


@job(KEY, "Cleanup After Adding New Content", plex_triggered=True, sweeps=True)
def media_added_cleanup(ctx: JobContext) -> None:
    """Duplicates across the selected libraries: keeps the best version of each (resolution,
    HDR, codec, bitrate, size; preserve keywords; ties keep the oldest), unmonitors in
    Radarr the movies Plex now has and in Sonarr single duplicate episodes. Deletes the other
    versions only when deletion is turned on in the Command Center."""
    if not vaultlink.plex_enabled():
        raise JobSkipped("plex_not_enabled", "Plex is not set up, so there is nothing to "
                                             "clean up.")
    keys = scoped_keys(ctx)
    server = plex(ctx)
    refresh_mirror(ctx)
    setting = JobSetting.of(KEY)
    groups, scoped_movies = find_groups(ctx, server, keys)
    rule = rule_of(setting)
    decisions = [decide(g.versions, rule, g.label) for g in groups]
    report_groups(ctx, decisions, setting.delete_duplicates)
    movies = {(c.tmdb_id, c.imdb_id): c.title for c in scoped_movies}
    movies |= {(c.tmdb_id, c.imdb_id): c.title for g in groups if g.kind == "movie"
               for c in g.copies}
    episodes = {(c.tvdb_id, c.season, c.episode): c.title for g in groups
                if g.kind == "episode" for c in g.copies if c.tvdb_id}
    lines = actions.unmonitor_movies(ctx, movies)
    lines += actions.unmonitor_episodes(ctx, episodes)
    lines += actions.delete_versions(ctx, server, deletions(decisions),
                                     setting.delete_duplicates, {d.kept.key for d in decisions})
    report_diff(ctx, lines)
    ctx.report.attach("cleanup", {"scoped": sorted(keys) if keys else None,
                                  "groups": len(decisions),
                                  "deletion_on": bool(setting.delete_duplicates),
                                  "rule": {"order": list(rule.order),
                                           "preserve": list(rule.preserve)}})
    ctx.report.summary(summary(ctx, decisions, lines, keys))


def summary(ctx: JobContext, decisions: list[Decision], lines: list[dict], keys) -> str:
    scope = f"of the {len(keys)} new item{'s' if len(keys) != 1 else ''}" if keys else \
        "in the selected libraries"
    if not decisions:
        head = f"No duplicates {scope}."
    else:
        head = f"{len(decisions)} duplicate group{'s' if len(decisions) != 1 else ''} " \
               f"{scope}; the best version of each is kept."
    counts: dict[str, int] = {}
    for line in lines:
        label = f"{line['action']} in {SERVICE_NAMES[line['service']]}"
        counts[label] = counts.get(label, 0) + 1
    tail = "; ".join(f"{n} {label}" for label, n in counts.items())
    return f"{head} {tail[:1].upper()}{tail[1:]}." if tail else head


@dataclass
class Preview:
    report: Report = field(default_factory=Report)


def preview(server) -> tuple[list[Decision], list]:
    """What a full sweep would delete with deletion on, by the saved rule: (decisions, the
    versions in delete order). Reads Plex (the mirror's refresh, the episodes, one batched
    item read); changes nothing in Plex or the ARR apps."""
    reader.refresh(server)
    groups, _ = find_groups(Preview(), server, None)
    rule = rule_of(JobSetting.of(KEY))
    decisions = [decide(g.versions, rule, g.label) for g in groups]
    return decisions, deletions(decisions)
