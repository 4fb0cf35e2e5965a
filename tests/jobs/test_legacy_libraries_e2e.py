"""Must-show 6 of issue 9: a whole-legacy-agent movie library ("Old Movies", IMDb agent, one
IMDb id twice) and a TheTVDB TV library ("Old TV") in the Plex double. Through
`run_job … --sync`, a seed's picks that Plex has are marked in Plex, the viewer's watched
titles (a movie and an episode's show, history without grandparentRatingKey) are excluded,
and the rows are built. The hand-run version: README of the report (python -m tests.fakes
--legacy-libraries, then manage.py run_job against it)."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from jobs.models import JobRun
from recommendations.models import ImmaculateTasteTitle
from vault.models import PlexItem

pytestmark = pytest.mark.django_db
BEA = 2


@pytest.fixture
def legacy_stack(db, settings):
    from tests.fakes.catalog import Catalog
    from tests.fakes.plex.plextv import PlexTvDouble
    from tests.fakes.plex.server import PlexServerDouble
    from tests.fakes.tmdb import TmdbDouble
    from tests.jobs.factories import connect_plex, viewers
    from vault import integrations
    from vault.clients.factory import plex_server
    from vault.mirror import reader

    catalog = Catalog(n_movies=120, n_shows=20, seed=77)
    plex = PlexServerDouble(catalog, legacy_libraries=True).start()
    tmdb, plextv = TmdbDouble(catalog).start(), PlexTvDouble(plex).start()
    settings.TMDB_BASE_URL, settings.PLEX_TV_URL = tmdb.base, plextv.url
    settings.VAULT_HTTP_RETRIES = 0
    connect_plex(plex)
    integrations.save("tmdb", True, {"api_key": tmdb.api_key})
    viewers()
    server = plex_server()
    libraries = {lib.key: lib for lib in reader.sync_libraries(server)}
    for library in libraries.values():
        reader.index_library(server, library)
    yield {"plex": plex, "catalog": catalog, "libraries": libraries}
    plex.stop()
    plextv.stop()
    tmdb.stop()


def rows_of(plex, section: int) -> dict[str, list[int]]:
    with plex.lock:
        return {c.title: list(c.items) for c in plex.collections.values()
                if c.section == section}


def picks_of(seed_key: int, library: str, media: str) -> list[dict]:
    call_command("run_job", "immaculate_taste", "--dry-run", "--sync", "--viewer", "Bea",
                 "--library", library, "--media-type", media,
                 "--seed-rating-key", str(seed_key))
    run = JobRun.objects.filter(job="immaculate_taste").latest("pk")
    assert run.status == "succeeded", run.reason
    return run.report["lists"][0]["items"]


def test_mirror_has_legacy_ids_only_and_skips_music(legacy_stack):
    assert set(legacy_stack["libraries"]) == {"1", "2", "3", "4", "5"}  # no 6 "Music"
    old = PlexItem.objects.filter(library__key="4")
    assert old.filter(tmdb_id__isnull=False).count() == 0 and old.exclude(imdb_id="").exists()
    dupes = old.values_list("imdb_id", flat=True)
    assert len(dupes) - len(set(dupes)) == 3
    tv = PlexItem.objects.filter(library__key="5")
    assert tv.filter(tmdb_id__isnull=False).count() == 0
    assert tv.filter(tvdb_id__isnull=False).count() == tv.count() > 0


@pytest.mark.parametrize(("library", "media", "kind"), [("4", "movie", "movie"),
                                                        ("5", "tv", "show")])
def test_run_job_on_a_legacy_library_marks_excludes_watched_and_builds_rows(
        legacy_stack, library, media, kind, capsys):
    plex = legacy_stack["plex"]
    seed = PlexItem.objects.filter(library__key=library).order_by("rating_key").first()
    before = picks_of(seed.rating_key, library, media)
    in_plex = [p for p in before if p["status"] == "in Plex"]
    assert in_plex, "some picks must be in this library"
    watched = in_plex[0]
    watched_key = plex.rating_key_for(watched["tmdb_id"], kind, int(library))
    if kind == "show":  # the history names the episode; its show only by grandparentKey
        season = plex.library.items[watched_key].children[0]
        watched_key = plex.library.items[season].children[0]
    plex.add_history(BEA, watched_key)
    capsys.readouterr()

    call_command("run_job", "immaculate_taste", "--sync", "--viewer", "Bea",
                 "--library", library, "--media-type", media,
                 "--seed-rating-key", str(seed.rating_key))

    run = JobRun.objects.filter(job="immaculate_taste", dry_run=False).latest("pk")
    assert run.status == "succeeded", run.reason
    rows = ImmaculateTasteTitle.objects.filter(viewer__account_id=BEA, library__key=library)
    assert watched["tmdb_id"] not in set(rows.values_list("tmdb_id", flat=True))
    active = rows.filter(status="active")
    assert active.exists() and all(r.rating_key for r in active)
    keys = set(PlexItem.objects.filter(library__key=library).values_list("rating_key",
                                                                         flat=True))
    assert {r.rating_key for r in active} <= keys
    built = rows_of(plex, int(library))
    row = built.get("Inspired by your Immaculate Taste (Bea)")
    assert row and set(row) == {r.rating_key for r in active}, built
