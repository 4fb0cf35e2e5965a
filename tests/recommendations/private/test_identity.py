"""Must-show 4: rows never collide. Two viewers of one display name get two collections; a
renamed viewer keeps theirs (no title moves between them); a departed viewer's rows go."""

from __future__ import annotations

from recommendations.models import RowCollection
from recommendations.rows import shares
from recommendations.rows.sync import remove_departed_rows, sync_viewer_rows
from tests.fakes.plex.accounts import Account
from tests.recommendations.private.conftest import give_rows, home
from vault.models import PlexViewer

KIND = ("immaculate_taste",)


def _sync(stack, viewer):
    report = sync_viewer_rows(stack["server"], viewer, stack["libraries"]["movie"], kinds=KIND)
    assert report.ok, report.errors
    return report


def _collection(stack, viewer):
    row = RowCollection.objects.get(account_id=viewer.account_id, library_key=1,
                                    kind="immaculate_taste")
    return stack["plex"].collections[row.rating_key]


def test_two_viewers_with_one_display_name_get_two_collections(stack):
    cy = stack["viewers"]["Cy"]
    other = PlexViewer.objects.create(account_id=6, name="Cy", plextv_id=6)
    movies = stack["keys"]["movie"]
    give_rows(other, stack["libraries"]["movie"], movies[25:28])
    for _ in range(2):  # and a second sync changes nothing
        _sync(stack, cy)
        _sync(stack, other)
    mine, theirs = _collection(stack, cy), _collection(stack, other)
    assert mine.rating_key != theirs.rating_key
    assert mine.title == theirs.title == "Inspired by your Immaculate Taste (Cy)"
    assert sorted(theirs.items) == sorted(movies[25:28])
    assert set(mine.items).isdisjoint(theirs.items)


def test_a_renamed_viewer_keeps_their_collection_and_moves_no_titles(stack):
    bea, cy = stack["viewers"]["Bea"], stack["viewers"]["Cy"]
    _sync(stack, bea)
    _sync(stack, cy)
    before = {v.name: (_collection(stack, v).rating_key, list(_collection(stack, v).items))
              for v in (bea, cy)}
    bea.name = "Cy"  # Bea renames herself to Cy's name
    bea.save()
    _sync(stack, bea)
    _sync(stack, cy)
    assert (_collection(stack, bea).rating_key, _collection(stack, bea).items) == before["Bea"]
    assert (_collection(stack, cy).rating_key, _collection(stack, cy).items) == before["Cy"]
    assert _collection(stack, bea).title == "Inspired by your Immaculate Taste (Cy)"


def test_private_labels_follow_the_account_not_the_name(stack):
    stack["plextv"].add_account(Account(6, "Cy", "Cy2", "cy2@example.com", "shared", "TV"))
    other = PlexViewer.objects.create(account_id=6, name="Cy", plextv_id=6)
    give_rows(other, stack["libraries"]["movie"], stack["keys"]["movie"][25:28])
    shares.turn_on(stack["server"])
    cy = stack["viewers"]["Cy"]
    _sync(stack, cy)
    _sync(stack, other)
    assert stack["plex"].labels_of(_collection(stack, cy).rating_key) == ["imm_3"]
    assert stack["plex"].labels_of(_collection(stack, other).rating_key) == ["imm_6"]
    assert home(stack, 3) == home(stack, 6) == ["Inspired by your Immaculate Taste (Cy)"]
    assert stack["plextv"].filters[3]["filterMovies"].count("imm_6") == 1


def test_an_unmonitored_or_departed_viewers_rows_are_removed(stack):
    bea, cy = stack["viewers"]["Bea"], stack["viewers"]["Cy"]
    _sync(stack, bea)
    _sync(stack, cy)
    bea_rk, cy_rk = _collection(stack, bea).rating_key, _collection(stack, cy).rating_key
    bea.monitored = False
    bea.save()
    report = sync_viewer_rows(stack["server"], bea, stack["libraries"]["movie"], kinds=KIND)
    assert report.skipped == "viewer_not_monitored"
    assert bea_rk not in stack["plex"].collections
    cy.present = False
    cy.save()
    assert remove_departed_rows(stack["server"], stack["libraries"]["movie"]) == []
    assert cy_rk not in stack["plex"].collections
    assert not RowCollection.objects.filter(account_id__in=[2, 3]).exists()


def test_a_row_made_before_private_rows_is_labelled_at_its_next_sync(stack):
    cy = stack["viewers"]["Cy"]
    _sync(stack, cy)  # private rows off: no label
    rk = _collection(stack, cy).rating_key
    RowCollection.objects.all().delete()  # as if it predated row identity too
    assert stack["plex"].labels_of(rk) == []
    shares.turn_on(stack["server"])
    _sync(stack, cy)
    assert _collection(stack, cy).rating_key == rk  # found by its title, kept, now labelled
    assert stack["plex"].labels_of(rk) == ["imm_3"]
    assert RowCollection.objects.get(rating_key=rk).labelled
    assert "Inspired by your Immaculate Taste (Cy)" not in home(stack, 2)
    labels_sent = stack["plex"].count("PUT", "/library/sections/1/all")
    _sync(stack, cy)
    assert stack["plex"].count("PUT", "/library/sections/1/all") == labels_sent  # once only


def test_an_unmonitored_viewer_leaves_the_matrix_and_sees_no_one_elses_rows(stack):
    shares.turn_on(stack["server"])
    for viewer in stack["viewers"].values():
        _sync(stack, viewer)
    bea = stack["viewers"]["Bea"]
    bea.monitored = False
    bea.save()
    sync_viewer_rows(stack["server"], bea, stack["libraries"]["movie"], kinds=KIND)
    filters = stack["plextv"].filters
    assert "imm_2" not in filters[3]["filterMovies"]  # nothing of hers left to hide
    assert {"imm_1", "imm_3", "imm_5"} <= set(filters[2]["filterMovies"].replace(
        "label!=", "").split("|"))
    assert home(stack, 2) == []
