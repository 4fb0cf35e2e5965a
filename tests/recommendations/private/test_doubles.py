"""The doubles private rows stand on, spoken to by plexapi's own methods (not our clients):
labels through EditTagsMixin, share filters through MyPlexAccount, each account's token."""

from __future__ import annotations

import pytest
from plexapi.exceptions import Unauthorized
from plexapi.myplex import MyPlexAccount
from plexapi.server import PlexServer

from tests.fakes.plex.plextv import excluded_labels
from vault.clients.collections import PlexRows
from vault.clients.plextv import PlexTvSession


def test_plexapi_add_and_remove_label_on_a_collection(stack):
    rk = PlexRows(stack["server"], 1, "movie").create("Labelled", stack["keys"]["movie"][:2])
    collection = stack["server"].fetchItem(rk)
    collection.addLabel("imm_9")
    assert stack["plex"].labels_of(rk) == ["imm_9"]
    fresh = stack["server"].fetchItem(rk)
    assert [t.tag for t in fresh.labels] == ["imm_9"]  # read from the metadata's <Label>
    fresh.addLabel("other")  # plexapi sends the labels it read plus the new one
    assert stack["plex"].labels_of(rk) == ["imm_9", "other"]
    stack["server"].fetchItem(rk).removeLabel("imm_9")
    assert stack["plex"].labels_of(rk) == ["other"]


def test_plexapi_reads_each_users_filters_and_its_own_filter_strings_parse(stack):
    stack["plextv"].set_filter(3, "filterTelevision", "contentRating!=TV-MA|label!=a%2Cb")
    account = MyPlexAccount(token=stack["plex"].token,
                            session=PlexTvSession(stack["plextv"].url))
    cy = next(u for u in account.users() if u.id == 3)
    assert (cy.filterMovies, cy.filterTelevision) == ("", "contentRating!=TV-MA|label!=a%2Cb")
    assert excluded_labels(cy.filterTelevision) == {"a", "b"}
    made = account._filterDictToStr({"label!": ["x", "y"], "contentRating!": ["R"]})
    assert excluded_labels(made) == {"x", "y"}
    assert excluded_labels("contentRating!=R,label!=picks_bob,label!=picks_carol") == {
        "picks_bob", "picks_carol"}


def test_a_shared_accounts_token_reads_as_that_account_and_cannot_write(stack):
    token = stack["plextv"].account_token(2)
    assert token != stack["plex"].token
    as_bea = PlexServer(stack["plex"].url, token)
    assert as_bea.library.hubs() == []
    with pytest.raises(Unauthorized):
        as_bea.query("/library/collections/1", method=as_bea._session.delete)
