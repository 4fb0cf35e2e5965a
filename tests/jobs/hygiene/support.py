"""Shared steps of the cleanup tests: a movie duplicated into Kids Movies, a library.new
payload as Plex sends it, and running a run in this process."""

from __future__ import annotations

import json

from jobs import runner
from jobs.dispatch import create_run
from jobs.models import JobRun, Trigger
from tests.fakes.plex.library import KIDS, MOVIES

JOB = "media_added_cleanup"


def movie_only_in_movies(fakes, nth: int = 0):
    """A catalog movie with one version, in Movies only (not in Kids Movies)."""
    plex = fakes.plex
    found = [t for t in fakes.catalog.movies if t.in_plex and t.versions == 1
             and plex.rating_key_for(t.tmdb_id, library_key=MOVIES)
             and not plex.rating_key_for(t.tmdb_id, library_key=KIDS)]
    return found[nth]


def duplicate_into_kids(fakes, nth: int = 0, **version) -> tuple[object, int, int]:
    """(title, its Movies ratingKey, the new Kids Movies copy's ratingKey); `version` gives
    the Movies copy a second, better file (e.g. resolution="4k")."""
    title = movie_only_in_movies(fakes, nth)
    original = fakes.plex.rating_key_for(title.tmdb_id, library_key=MOVIES)
    if version:
        fakes.plex.add_version(original, **version)
    copy = fakes.plex.add_item(KIDS, title)
    return title, original, copy


def radarr_monitors(fakes, title) -> dict:
    movie = fakes.radarr.movie_by_tmdb(title.tmdb_id)
    if movie is None:
        movie = fakes.radarr._store(title, {"monitored": True, "qualityProfileId": 4},
                                    has_file=True)
    movie["monitored"] = True
    return movie


def library_new(rating_key: int, section: int, title: str, kind: str = "movie") -> str:
    """Plex's library.new payload (support.plex.tv "Webhooks": event, Account, Server,
    Metadata with librarySectionID, ratingKey and type)."""
    return json.dumps({"event": "library.new", "user": True, "owner": True,
                       "Account": {"id": 1, "title": "Ava"},
                       "Server": {"title": "Plex", "uuid": "abc"},
                       "Metadata": {"librarySectionType": kind, "ratingKey": str(rating_key),
                                    "key": f"/library/metadata/{rating_key}", "type": kind,
                                    "title": title, "librarySectionID": section,
                                    "librarySectionTitle": "Kids Movies"}})


def run_here(seed: dict | None = None, dry_run: bool = False) -> JobRun:
    run = create_run(JOB, trigger=Trigger.CLI, seed=seed or {}, dry_run=dry_run)
    runner.execute(run.pk, sync=True)
    run.refresh_from_db()
    return run


def groups_of(run: JobRun) -> dict[str, dict]:
    lists = [lst for lst in run.report["lists"] if lst["title"] == "Duplicates"]
    return {item["title"]: item for item in (lists[0]["items"] if lists else [])}


def diff_of(run: JobRun) -> list[dict]:
    return run.report.get("raw", {}).get("cleanup_diff", [])
