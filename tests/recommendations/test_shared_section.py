"""A sweep's viewers share one read of each section (rows.section.SectionStates), and a row's
poster is drawn only when it has to be sent (rows.posters.RowArt), against the Plex double."""

import os

os.environ.setdefault("PLEXAPI_CONFIG_PATH", os.devnull)

import hashlib  # noqa: E402
from datetime import date  # noqa: E402

import pytest  # noqa: E402

from recommendations.models import RowCollection, RowPoster  # noqa: E402
from recommendations.rows import art, posters  # noqa: E402
from recommendations.rows.section import SectionStates  # noqa: E402
from recommendations.rows.sync import sync_viewer_rows  # noqa: E402
from tests.recommendations.plexdouble import movie_keys, row_doubles  # noqa: E402
from tests.recommendations.test_rows import add_titles  # noqa: E402
from vault.models import PlexLibrary, PlexViewer  # noqa: E402

TODAY = date(2026, 3, 1)
LISTING = r"/library/sections/1/all"
HUBS = r"/hubs/sections/1/manage"


double, plex, server = row_doubles(n_movies=300, n_shows=20, seed=515)


@pytest.fixture(scope="module")
def keys(server):
    return movie_keys(server)


@pytest.fixture
def viewers(db, keys):
    movies = PlexLibrary.objects.create(key="1", kind="movie", title="Movies")
    people = [PlexViewer.objects.create(account_id=1, name="Ava", is_owner=True, kind="owner")]
    people += [PlexViewer.objects.create(account_id=n, name=name, kind="shared")
               for n, name in ((2, "Bea"), (3, "Cy"), (4, "Dee"))]
    for n, viewer in enumerate(people):
        add_titles(viewer, movies, keys[n * 20:n * 20 + 15])
    return movies, people


def sweep(server, movies, people, sections):
    reports = [sync_viewer_rows(server, v, movies, today=TODAY, sections=sections)
               for v in people]
    assert all(r.ok for r in reports), [r.errors for r in reports]
    return reports


def curated(plex) -> list[str]:
    return [h["title"] for h in plex.hubs(1) if h["collection"]]


def test_a_sweep_reads_each_section_once_for_all_its_viewers(plex, server, viewers):
    movies, people = viewers
    sections = SectionStates()

    sweep(server, movies, people, sections)
    built = plex.count("GET", LISTING), plex.count("GET", HUBS)
    plex.clear()
    sweep(server, movies, people, SectionStates())
    again = plex.count("GET", LISTING), plex.count("GET", HUBS)
    plex.clear()
    sweep(server, movies, people, None)  # each viewer reads the section itself

    assert built == again == (1, 1)
    assert (plex.count("GET", LISTING), plex.count("GET", HUBS)) == (4, 4)
    assert curated(plex) == [f"Inspired by your Immaculate Taste ({v.name})" for v in people]
    assert sum(plex.count(m) for m in ("PUT", "POST", "DELETE")) == 0


def test_a_row_remade_by_another_run_is_read_again_not_made_twice(plex, server, viewers):
    movies, people = viewers
    sweep(server, movies, people, None)
    sections = SectionStates()
    sync_viewer_rows(server, people[0], movies, today=TODAY, sections=sections)
    # Another run (another worker) takes Bea's row down and builds it again meanwhile.
    old = RowCollection.objects.get(account_id=2).rating_key
    plex._delete_collection(old)
    assert sync_viewer_rows(server, people[1], movies, today=TODAY).ok
    remade = RowCollection.objects.get(account_id=2).rating_key
    plex.clear()

    report = sync_viewer_rows(server, people[1], movies, today=TODAY, sections=sections)

    assert report.ok, report.errors
    assert plex.count("GET", LISTING) == 1  # the kept listing did not hold her new row
    bea = [c for c in plex.collections.values() if c.title.endswith("(Bea)")]
    assert [c.rating_key for c in bea] == [remade] != [old]
    assert {r["action"] for r in report.rows} == {"keep"}


def test_hub_order_from_a_listing_gone_stale_is_redone_from_a_new_read(plex, server, viewers):
    movies, people = viewers
    sweep(server, movies, people[:3], None)
    sections = SectionStates()
    sync_viewer_rows(server, people[0], movies, today=TODAY, sections=sections)
    # Meanwhile another run removes Cy's row: the kept hubs still list it.
    plex._delete_collection(RowCollection.objects.get(account_id=3).rating_key)
    RowCollection.objects.filter(account_id=3).delete()
    plex.clear()

    report = sync_viewer_rows(server, people[3], movies, today=TODAY, sections=sections)

    assert report.ok, report.errors
    assert curated(plex) == ["Inspired by your Immaculate Taste (Ava)",
                             "Inspired by your Immaculate Taste (Bea)",
                             "Inspired by your Immaculate Taste (Dee)"]


def test_a_failed_write_drops_the_kept_section(plex, server, viewers, settings):
    movies, people = viewers
    settings.VAULT_HTTP_RETRIES = 0
    sections = SectionStates()
    plex.fault(method="POST", path=r"^/library/collections", status=500, count=None)

    report = sync_viewer_rows(server, people[0], movies, today=TODAY, sections=sections)
    plex.clear()
    sync_viewer_rows(server, people[1], movies, today=TODAY, sections=sections)

    assert not report.ok
    assert plex.count("GET", LISTING) == 1  # read again after the failure
    assert sections.reads == 2


def test_unchanged_rows_draw_no_poster_and_a_new_upload_is_sent(plex, server, viewers,
                                                               monkeypatch, settings,
                                                               tmp_path):
    settings.DATA_DIR = tmp_path  # no poster kept on disk yet
    movies, people = viewers
    drawn = []
    real = posters.render_poster
    monkeypatch.setattr(posters, "render_poster",
                        lambda kind, name: drawn.append(name) or real(kind, name))

    sweep(server, movies, people, SectionStates())
    first = list(drawn)
    drawn.clear()
    plex.clear()
    sweep(server, movies, people, SectionStates())

    assert first == ["Ava", "Bea", "Cy", "Dee"]  # once each: its hash comes from the drawing
    assert drawn == [] and plex.count("POST", r"/posters$") == 0
    for viewer in people:  # the hash the ledger keeps is that of the bytes Plex shows
        col = plex.collection_by_title(1, f"Inspired by your Immaculate Taste ({viewer.name})")
        drawn_art = art.row_art("immaculate_taste", viewer.name)
        assert hashlib.sha256(plex.poster(col.rating_key)).hexdigest() == drawn_art.sha

    upload = b"\x89PNG unstamped"
    RowPoster.objects.create(kind="immaculate_taste", image=upload, content_type="image/png",
                             sha256=hashlib.sha256(upload).hexdigest(), width=600,
                             height=900, stamp_name=False)
    sweep(server, movies, people, SectionStates())

    assert drawn == [] and plex.count("POST", r"/posters$") == len(people)
    col = plex.collection_by_title(1, "Inspired by your Immaculate Taste (Cy)")
    assert plex.poster(col.rating_key) == upload


def test_a_drawn_poster_is_kept_on_disk_by_recipe_and_the_folder_is_capped(db, settings,
                                                                            tmp_path,
                                                                            monkeypatch):
    settings.DATA_DIR = tmp_path
    drawn = []
    real = posters.render_poster
    monkeypatch.setattr(posters, "render_poster",
                        lambda kind, name: drawn.append(name) or real(kind, name))
    first = art.row_art("fresh_out", "Bea").data()
    again = art.row_art("fresh_out", "Bea").data()  # a new recipe object: read from disk

    assert first == again == real("fresh_out", "Bea") and drawn == ["Bea"]
    folder = tmp_path / art.FOLDER
    assert len(list(folder.glob("*.jpg"))) == 1
    assert oct(folder.stat().st_mode & 0o777) == "0o700"

    monkeypatch.setattr(art, "DISK_CAP", len(first) * 2)
    for name in ("Cy", "Dee", "Eve"):
        art.row_art("fresh_out", name).data()
    assert len(list(folder.glob("*.jpg"))) == 2  # the oldest went
    art.row_art("fresh_out", "Bea").data()
    assert drawn == ["Bea", "Cy", "Dee", "Eve", "Bea"]
