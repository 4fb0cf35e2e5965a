"""Must-shows 1 and 3: each shared viewer's Home holds their own rows only, the owner's all; no
row is promoted before the other accounts' filters exclude it."""

from __future__ import annotations

import pytest
from plexapi.exceptions import NotFound
from plexapi.server import PlexServer

from recommendations.models import PrivateRows
from recommendations.rows import shares
from tests.recommendations.private.conftest import home, sync_all

TITLES = {"Bea": "Bea", "Cy": "Cy", "Dee": "Dee"}


def _rows_of(titles, name):
    return sorted(t for t in titles if t.endswith(f"({name})"))


def test_each_shared_viewer_sees_only_their_own_rows_and_the_owner_sees_all(stack):
    shares.turn_on(stack["server"])
    reports = sync_all(stack)
    assert all(r.ok for r in reports), [r.errors for r in reports if not r.ok]

    for name, account in (("Bea", 2), ("Cy", 3), ("Dee", 5)):
        titles = home(stack, account)
        assert _rows_of(titles, name) == [
            f"Inspired by your Immaculate Taste ({name})"] * 2  # Movies and TV Shows
        others = [t for t in titles if not t.endswith(f"({name})")]
        assert others == [], f"{name} sees {others}"
    owner = home(stack, None)
    assert sorted(owner) == sorted(["Inspired by your Immaculate Taste (Ava Owner)"] * 2)
    # the owner's rows are on the owner's Home; every friend row exists and is on Friends' Home
    friend_hubs = [h for s in (1, 2) for h in stack["plex"].hubs(s)
                   if h["collection"] and h["promotedToSharedHome"]]
    assert len(friend_hubs) == 6
    # the owner has no share to filter: every viewer's row is in the owner's library view
    movies = stack["server"].library.sectionByID(1).collections()
    assert sorted(c.title.rsplit("(", 1)[1] for c in movies) == [
        "Ava Owner)", "Bea)", "Cy)", "Dee)"]
    # while Cy's library view of Movies holds Cy's row only
    as_cy = PlexServer(stack["plex"].url, stack["plextv"].account_token(3))
    assert [c.title for c in as_cy.library.sectionByID(1).collections()] == [
        "Inspired by your Immaculate Taste (Cy)"]
    bea_row = next(c for c in movies if c.title.endswith("(Bea)"))
    with pytest.raises(NotFound):
        as_cy.fetchItem(bea_row.ratingKey)


def test_without_private_rows_friends_see_each_others_rows(stack):
    """The leak the switch closes (and what the README warns about)."""
    sync_all(stack)
    assert not PrivateRows.load().enabled
    assert any(t.endswith("(Cy)") for t in home(stack, 2))


def test_an_old_server_ignores_the_labels_on_home(stack):
    stack["plex"].version = "1.41.3.9314-a0bfb8370"
    shares.turn_on(stack["server"])
    sync_all(stack)
    assert any(t.endswith("(Cy)") for t in home(stack, 2))
    from vault.clients.factory import plex_server

    check = shares.capability(plex_server(), shares.connect())  # reads the version again
    assert not check["ok"] and "1.43.1" in check["problems"][0]


def test_no_row_is_promoted_before_its_exclusions_are_in_place(stack):
    shares.turn_on(stack["server"])
    sync_all(stack)
    promotions = [e for e in stack["plex"].timeline if e[0] == "promote"]
    assert len(promotions) == 6  # every friend row, each once
    for _, collection, labels, visible in promotions:
        owner_account = int(labels[0].split("_")[1])
        assert visible == {owner_account}, (collection, labels, visible)
    # and each filter write came before the promotions it allowed
    first_promote = stack["plex"].timeline.index(promotions[0])
    assert any(e[0] == "filter" for e in stack["plex"].timeline[:first_promote])


def test_a_new_viewer_joins_the_matrix_before_their_row_is_promoted(stack):
    from tests.recommendations.private.conftest import give_rows
    from vault.models import PlexViewer

    shares.turn_on(stack["server"])
    sync_all(stack)
    stack["plex"].timeline.clear()
    kiddo = PlexViewer.objects.create(account_id=4, name="Kiddo", kind="managed", plextv_id=4)
    give_rows(kiddo, stack["libraries"]["movie"], stack["keys"]["movie"][20:22])
    sync_all(stack)
    promotions = [e for e in stack["plex"].timeline if e[0] == "promote"]
    assert [(e[2], e[3]) for e in promotions] == [(("imm_4",), frozenset({4}))]
    assert home(stack, 4) == ["Inspired by your Immaculate Taste (Kiddo)"]
    assert "Inspired by your Immaculate Taste (Kiddo)" not in home(stack, 2)


def test_when_the_filters_cannot_be_written_the_new_row_stays_unpromoted(stack):
    stack["plextv"].fault(method="PUT", path="/api/v2/sharings/", status=503, count=100)
    assert shares.turn_on(stack["server"]).errors
    reports = sync_all(stack)
    stack["plextv"].faults.clear()
    assert any(e["row"] == "private rows" for r in reports for e in r.errors)
    assert [e for e in stack["plex"].timeline if e[0] == "promote"] == []
    assert home(stack, 2) == [] and home(stack, 3) == []
