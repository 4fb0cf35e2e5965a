"""Issue 14, "several items with the same TMDB/IMDb/TVDB id (legacy agents included)": the
cleanup groups a legacy-agent copy with a new-agent copy in another library by the one id they
share, for movies (IMDb) and for a show's episodes (TVDB), and never groups titles that only
look alike. The Plex double runs with its legacy libraries ("Old Movies" on the IMDb agent,
"Old TV" on TheTVDB agent), whose items carry the agent guid and no `<Guid>` children."""

from __future__ import annotations

import dataclasses
from xml.etree import ElementTree

import pytest
import requests

from jobs.definitions.hygiene.groups import Copy, clusters, movie_groups
from tests.fakes.plex.library import (
    KIDS,
    LEGACY_DUPLICATES,
    LEGACY_MOVIES,
    LEGACY_SHOWS,
    MOVIES,
    SHOWS,
)
from tests.fakes.suite import start_all
from tests.jobs.hygiene.conftest import SIZES, writes
from tests.jobs.hygiene.support import diff_of, groups_of, radarr_monitors, run_here
from vault.models import PlexItem

pytestmark = [pytest.mark.django_db]


@pytest.fixture(scope="module")
def fakes():
    """This module's own doubles, with the legacy-agent libraries (the package's have none)."""
    doubles = start_all(legacy_libraries=True, **SIZES)
    yield doubles
    doubles.stop()


def served(plex, rating_key: int) -> ElementTree.Element:
    """The item as the Plex double serves it to the app."""
    answer = requests.get(f"{plex.url}/library/metadata/{rating_key}",
                          headers={"X-Plex-Token": plex.token}, timeout=10)
    answer.raise_for_status()
    return ElementTree.fromstring(answer.content)[0]


def movie_in_movies_and_old_movies(fakes, nth: int):
    """A new-agent catalog movie with one file, in Movies and (once) in Old Movies, not in
    Kids Movies: (title, its Movies ratingKey, its Old Movies ratingKey)."""
    plex = fakes.plex
    in_plex = [t for t in fakes.catalog.movies if t.in_plex]
    twice = {t.tmdb_id for t in in_plex[:LEGACY_DUPLICATES]}  # twice in Old Movies
    found = [t for t in in_plex if not t.legacy_agent and t.versions == 1
             and t.tmdb_id not in twice and plex.rating_key_for(t.tmdb_id, library_key=MOVIES)
             and not plex.rating_key_for(t.tmdb_id, library_key=KIDS)]
    t = found[nth]
    return (t, plex.rating_key_for(t.tmdb_id, library_key=MOVIES),
            plex.rating_key_for(t.tmdb_id, library_key=LEGACY_MOVIES))


def only_file(plex, rating_key: int, **better) -> None:
    """Give the item one file only: the new one described by `better`."""
    old = [v.id for v in plex.versions_of(rating_key)]
    plex.add_version(rating_key, **better)
    with plex.lock:
        for media_id in old:
            plex.library.delete_version(rating_key, media_id)


def test_a_legacy_imdb_copy_and_a_new_agent_copy_are_one_group(vaulted):
    plex = vaulted.plex
    title, new_key, legacy_key = movie_in_movies_and_old_movies(vaulted, 0)
    only_file(plex, legacy_key, resolution="4k", codec="hevc", kbps=25000, hdr="HDR10",
              suffix=" - 4K")
    # the premise: the legacy copy names its IMDb id in the agent guid only; the new-agent one
    # in <Guid> children, with its TMDB id, which the legacy copy does not have
    legacy, new = served(plex, legacy_key), served(plex, new_key)
    assert legacy.get("guid") == f"com.plexapp.agents.imdb://{title.imdb_id}?lang=en"
    assert legacy.findall("Guid") == []
    assert new.get("guid").startswith("plex://movie/")
    assert {g.get("id") for g in new.findall("Guid")} == {f"imdb://{title.imdb_id}",
                                                          f"tmdb://{title.tmdb_id}"}
    movie = radarr_monitors(vaulted, title)

    run = run_here({"rating_keys": [legacy_key]})

    assert run.status == "succeeded", run.reason
    mirrored = {i.rating_key: (i.tmdb_id, i.imdb_id) for i in PlexItem.objects.filter(
        rating_key__in=[new_key, legacy_key])}
    assert mirrored == {legacy_key: (None, title.imdb_id),
                        new_key: (title.tmdb_id, title.imdb_id)}
    groups = groups_of(run)
    assert list(groups) == [f"{title.title} ({title.year})"]
    group = groups[f"{title.title} ({title.year})"]
    assert group["kept"]["rating_key"] == legacy_key
    assert group["kept"]["library"] == "Old Movies" and "4K" in group["kept"]["file"]
    assert [(d["rating_key"], d["library"]) for d in group["delete"]] == [(new_key, "Movies")]
    assert group["status"].startswith("kept: 4K · HDR10 · HEVC")
    assert group["why"].startswith("Kept: higher resolution than the next best (4K")
    assert "in Old Movies. Other versions (to delete when deletion is on): 1080p" in \
        group["why"]
    # Radarr's copy (matched by TMDB id) is unmonitored once; nothing is deleted anywhere
    assert vaulted.radarr.movie_by_tmdb(title.tmdb_id)["monitored"] is False
    assert [r.json() for r in writes(vaulted.radarr)] == [{"movieIds": [movie["id"]],
                                                           "monitored": False}]
    assert [writes(d, "DELETE") for d in (plex, vaulted.radarr, vaulted.sonarr)] == [[], [], []]
    assert len(plex.versions_of(new_key)) == len(plex.versions_of(legacy_key)) == 1


def test_a_duplicate_episode_of_a_show_matched_by_its_tvdb_id_only(vaulted):
    plex, sonarr = vaulted.plex, vaulted.sonarr
    show = next(t for t in vaulted.catalog.shows if t.in_plex and not t.legacy_agent
                and t.episodes_per_season >= 2 and sonarr.series_by_tvdb(t.tvdb_id))
    new_key = plex.rating_key_for(show.tmdb_id, "show", SHOWS)
    legacy_key = plex.rating_key_for(show.tmdb_id, "show", LEGACY_SHOWS)
    with plex.lock:  # Old TV keeps S01E02 of this show only (the other files are gone)
        library = plex.library
        episodes = {(library.items[e].parent_index, library.items[e].index): e
                    for e in (e for s in library.items[legacy_key].children
                              for e in library.items[s].children)}
        for where, key in episodes.items():
            if where != (1, 2):
                library.delete_version(key, library.items[key].versions()[0].id)
        new_episode = next(e for s in library.items[new_key].children
                           for e in library.items[s].children
                           if (library.items[e].parent_index, library.items[e].index) == (1, 2))
    legacy_episode = episodes[(1, 2)]
    legacy, new = served(plex, legacy_key), served(plex, new_key)
    assert legacy.get("guid") == f"com.plexapp.agents.thetvdb://{show.tvdb_id}?lang=en"
    assert legacy.findall("Guid") == []
    assert f"tvdb://{show.tvdb_id}" in {g.get("id") for g in new.findall("Guid")}
    series = sonarr.series_by_tvdb(show.tvdb_id)
    for ep in sonarr.episodes_of(series["id"]):
        ep["monitored"] = True
    series["monitored"] = True

    run = run_here({"rating_keys": [legacy_key]})

    assert run.status == "succeeded", run.reason
    mirrored = {i.rating_key: (i.tmdb_id, i.imdb_id, i.tvdb_id) for i in PlexItem.objects
                .filter(rating_key__in=[new_key, legacy_key])}
    assert mirrored == {legacy_key: (None, "", show.tvdb_id),
                        new_key: (show.tmdb_id, show.imdb_id, show.tvdb_id)}
    groups = groups_of(run)
    assert list(groups) == [f"{show.title} S01E02"]  # the episode, not the whole show
    group = groups[f"{show.title} S01E02"]
    copies = {group["kept"]["rating_key"]: group["kept"]["library"]} | {
        d["rating_key"]: d["library"] for d in group["delete"]}
    assert copies == {new_episode: "TV Shows", legacy_episode: "Old TV"}
    assert group["kept"]["rating_key"] == new_episode  # equal files: the older copy stays
    assert group["why"].startswith("Kept the oldest: the versions are equal by the rule.")
    off = [(e["seasonNumber"], e["episodeNumber"]) for e in sonarr.episodes_of(series["id"])
           if not e["monitored"]]
    assert off == [(1, 2)]
    assert sonarr.series_by_tvdb(show.tvdb_id)["monitored"] is True
    assert [r.path for r in writes(sonarr)] == ["/api/v3/episode/monitor"]
    assert writes(plex, "DELETE") == []


def test_titles_that_share_no_id_are_not_grouped(vaulted):
    """Same title and year, different ids, in the libraries of both agents: a sweep groups
    the real copies (Movies + Old Movies) and leaves both look-alikes out."""
    plex = vaulted.plex
    title, new_key, legacy_key = movie_in_movies_and_old_movies(vaulted, 1)
    alike_new = plex.add_item(KIDS, dataclasses.replace(
        title, tmdb_id=9_900_001, imdb_id="tt99000001", legacy_agent=False, versions=1))
    alike_legacy = plex.add_item(LEGACY_MOVIES, dataclasses.replace(
        title, tmdb_id=9_900_002, imdb_id="tt99000002", legacy_agent=False, versions=1))
    assert served(plex, alike_legacy).get("guid") == \
        "com.plexapp.agents.imdb://tt99000002?lang=en"

    run = run_here(dry_run=True)  # a full sweep: every selected library

    assert run.status == "succeeded", run.reason
    items = next(lst for lst in run.report["lists"] if lst["title"] == "Duplicates")["items"]
    keys_of = [{i["kept"]["rating_key"], *(d["rating_key"] for d in i["delete"])}
               for i in items]
    assert {new_key, legacy_key} in keys_of
    mine = [i for i in items if i["title"] == f"{title.title} ({title.year})"]
    assert len(mine) == 1  # the look-alikes make no group of their own either
    grouped = set().union(*keys_of)
    assert alike_new not in grouped and alike_legacy not in grouped
    assert not [line for line in diff_of(run) if line.get("rating_key") in (alike_new,
                                                                            alike_legacy)]
    assert [writes(d) for d in (plex, vaulted.radarr, vaulted.sonarr)] == [[], [], []]


def test_ids_join_transitively_but_never_by_title():
    """groups.clusters: a legacy IMDb-only copy, a copy with IMDb and TMDB ids and a TMDB-only
    copy are one title; a same-named copy with other ids is not."""
    def copy(rk, *ids):
        return Copy(rk, "1", "Movies", "Dune", 2021, ids=ids,
                    versions=[{"id": rk * 10, "resolution": "1080"}])

    copies = [copy(1, ("imdb", "tt1160419")), copy(2, ("tmdb", 438631), ("imdb", "tt1160419")),
              copy(3, ("tmdb", 438631)), copy(4, ("imdb", "tt0087182")),
              copy(5, ("tvdb", 438631))]  # the same number as another source's id
    assert [[c.rating_key for c in g] for g in clusters(copies)] == [[1, 2, 3], [4], [5]]
    assert [[c.rating_key for c in g.copies] for g in movie_groups(copies)] == [[1, 2, 3]]
