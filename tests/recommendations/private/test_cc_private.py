"""Command Center → Private rows: off by default, the capability check in sentences, on merges
the exclusions, off restores every share."""

from __future__ import annotations

from recommendations.models import PrivateRows

URL = "/command-center/private-rows"


def _page(admin_client, **post):
    answer = admin_client.post(URL, post) if post else admin_client.get(URL)
    assert answer.status_code == 200
    return answer.content.decode()


def test_off_by_default_with_what_each_viewer_will_see(stack, admin_client):
    page = _page(admin_client)
    assert "Private rows are off" in page
    assert "Bea sees only their own rows; rows of Ava Owner, Cy, Dee are hidden." in page
    assert "Ava Owner (the owner) sees every row" in page
    assert "Turn on private rows" in page and "disabled" not in page
    assert stack["plextv"].filter_writes() == 0  # looking changes nothing
    assert stack["plex"].token not in page


def test_turning_on_and_off_through_the_page(stack, admin_client):
    stack["plextv"].set_filter(2, "filterMovies", "contentRating!=R,label!=other_tool")
    before = {k: dict(v) for k, v in stack["plextv"].filters.items()}
    page = _page(admin_client, action="on")
    assert PrivateRows.load().enabled
    assert "Private rows turned on: 8 share filters changed." in page
    assert ("<strong>Bea</strong> · Movie libraries: contentRating!=R, label!=other_tool → "
            "contentRating!=R, label!=other_tool, label!=imm_1 (Ava Owner&#x27;s rows), "
            "label!=imm_3 (Cy&#x27;s rows), label!=imm_5 (Dee&#x27;s rows)") in page
    page = _page(admin_client, action="off")
    assert not PrivateRows.load().enabled
    assert stack["plextv"].filters == before
    assert "Private rows turned off: 8 share filters changed." in page


def test_what_is_missing_keeps_it_off(stack, admin_client):
    stack["plextv"].plex_pass = False
    stack["plextv"].accounts = [a for a in stack["plextv"].accounts if a.id != 5]
    page = _page(admin_client, action="on")
    assert not PrivateRows.load().enabled and stack["plextv"].filter_writes() == 0
    assert "Label restrictions need Plex Pass on the owner&#x27;s account." in page
    assert "Dee&#x27;s share could not be read on plex.tv" in page
    assert "Private rows stay off until what is missing is fixed." in page
    assert "disabled" in page


def test_the_section_is_in_the_command_center(stack, admin_client):
    page = admin_client.get("/command-center").content.decode()
    assert URL in page and "Private rows" in page
