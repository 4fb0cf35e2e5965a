"""Issue 17, "keep the matrix right as things change: … a new library": private rows are on
and the three shared viewers (Bea, Cy, Dee) and the owner have rows in Movies only; then a
second movie library (Kids Movies) or the TV library joins the selection and the rows sweep
again. plex.tv share filters are per section type (filterMovies, filterTelevision), not per
library, so the new library's rows are hidden by entries the filters already hold: each
viewer's Home in the new library shows their own row, and plex.tv is written to only where a
filter does not say what it should. Every other condition stays exactly as it was."""

from __future__ import annotations

import copy

from plexapi.server import PlexServer

from recommendations.models import ImmaculateTasteTitle
from recommendations.rows import shares
from recommendations.rows.private import with_labels
from recommendations.rows.sync import sync_viewer_rows
from tests.fakes.plex.plextv import excluded_labels
from tests.recommendations.private.conftest import give_rows
from vault.models import PlexLibrary, PlexViewer

THEIRS = "contentRating!=R,label!=other_tool"
CY_TV = "contentRating!=TV-MA|label!=kometa_x"
FRIENDS = {"Bea": 2, "Cy": 3, "Dee": 5}
ROW = "Inspired by your Immaculate Taste ({})"
ALL_LABELS = {"imm_1", "imm_2", "imm_3", "imm_5"}  # the owner's and the three friends'


def sweep_rows(stack, libraries) -> None:
    for viewer in PlexViewer.objects.all():
        for library in libraries:
            report = sync_viewer_rows(stack["server"], viewer, library,
                                      kinds=("immaculate_taste",))
            assert report.ok, report.errors


def home_in(stack, account_id: int | None, section: int) -> list[str]:
    """The rows of this library on this account's Home, read with that account's token."""
    plex, plextv = stack["plex"], stack["plextv"]
    token = plex.token if account_id is None else plextv.account_token(account_id)
    hubs = PlexServer(plex.url, token).library.hubs()
    rows = {int(h.key.split("/")[3]): h.title for h in hubs}
    with plex.lock:
        return sorted(t for rk, t in rows.items() if plex.collections[rk].section == section)


def only_movies_then(stack):
    """Private rows on with every viewer's row in Movies only (TV Shows not selected yet), and
    filters of other tools on two shares; returns the filters as they stand after that."""
    plextv = stack["plextv"]
    tv = stack["libraries"]["show"]
    ImmaculateTasteTitle.objects.filter(library=tv).delete()
    PlexLibrary.objects.filter(pk=tv.pk).update(selected=False)
    plextv.set_filter(2, "filterMovies", THEIRS)
    plextv.set_filter(3, "filterTelevision", CY_TV)
    shares.turn_on(stack["server"])
    sweep_rows(stack, [stack["libraries"]["movie"]])
    for name, account in FRIENDS.items():
        assert home_in(stack, account, 1) == [ROW.format(name)]
    assert with_labels(plextv.filters[2]["filterMovies"], set()) == THEIRS  # merged
    assert with_labels(plextv.filters[3]["filterTelevision"], set()) == CY_TV
    stack["plex"].timeline.clear()
    plextv.clear()
    return copy.deepcopy(plextv.filters)


def viewers_rows_in(stack, library, keys) -> None:
    for n, viewer in enumerate(PlexViewer.objects.order_by("account_id")):
        give_rows(viewer, library, keys[n:n + 2])  # Kids Movies holds only 5 titles


def assert_only_own_rows(stack, section: int) -> None:
    for name, account in FRIENDS.items():
        assert home_in(stack, account, section) == [ROW.format(name)], name
        as_friend = PlexServer(stack["plex"].url, stack["plextv"].account_token(account))
        assert [c.title for c in as_friend.library.sectionByID(section).collections()] == [
            ROW.format(name)], name
    # the owner's Home holds the owner's row; the owner's library view every viewer's
    assert home_in(stack, None, section) == [ROW.format("Ava Owner")]
    assert sorted(c.title for c in stack["server"].library.sectionByID(section).collections()
                  ) == sorted(ROW.format(n) for n in ("Ava Owner", "Bea", "Cy", "Dee"))
    promotions = [e for e in stack["plex"].timeline if e[0] == "promote"]
    assert len(promotions) == 3  # each friend's new row, each once
    for _, collection, labels, visible in promotions:
        assert visible == {int(labels[0].split("_")[1])}, (collection, labels, visible)


def test_a_second_movie_library_needs_no_filter_write(stack):
    plex, plextv = stack["plex"], stack["plextv"]
    before = only_movies_then(stack)
    # the labels already cover every movie library: what each friend's filter excludes
    for account in FRIENDS.values():
        assert excluded_labels(before[account]["filterMovies"]) & ALL_LABELS == \
            ALL_LABELS - {f"imm_{account}"}
    kids = PlexLibrary.objects.create(key="3", kind="movie", title="Kids Movies")
    keys = [int(el.get("ratingKey")) for el in stack["server"].query(
        "/library/sections/3/all", headers={"X-Plex-Container-Size": "500"})]
    viewers_rows_in(stack, kids, keys)

    sweep_rows(stack, [stack["libraries"]["movie"], kids])

    assert_only_own_rows(stack, 3)
    assert plextv.filter_writes() == 0 and plextv.filters == before
    assert [e for e in plex.timeline if e[0] == "filter"] == []
    for name, account in FRIENDS.items():  # Movies is as it was
        assert home_in(stack, account, 1) == [ROW.format(name)]


def test_the_tv_library_gets_its_filter_television_entries_and_nothing_else_moves(stack):
    plex, plextv = stack["plex"], stack["plextv"]
    before = only_movies_then(stack)
    # meanwhile Cy's TV filter was saved again in the plex.tv share dialog: the rating stays,
    # our entries are gone; the other friends' TV filters still hold theirs
    plextv.set_filter(3, "filterTelevision", "contentRating!=TV-MA")
    before[3]["filterTelevision"] = "contentRating!=TV-MA"
    tv = stack["libraries"]["show"]
    PlexLibrary.objects.filter(pk=tv.pk).update(selected=True)
    tv.refresh_from_db()
    viewers_rows_in(stack, tv, stack["keys"]["show"])

    sweep_rows(stack, [stack["libraries"]["movie"], tv])

    assert_only_own_rows(stack, 2)
    puts = [r for r in plextv.requests if r.method == "PUT"]
    assert [(r.path, sorted(k for k in r.query if k.startswith("filter"))) for r in puts] == [
        ("/api/v2/sharings/3", ["filterTelevision"])]  # the one filter that needed it
    after = plextv.filters
    assert after[3]["filterTelevision"] == "contentRating!=TV-MA|label!=imm_1|label!=imm_2|" \
                                           "label!=imm_5"
    assert {a: f for a, f in after.items() if a != 3} == {
        a: f for a, f in before.items() if a != 3}
    assert after[3]["filterMovies"] == before[3]["filterMovies"]
    for account in (2, 3, 4, 5):  # every share's TV filter hides every row but its own
        assert excluded_labels(after[account]["filterTelevision"]) & ALL_LABELS == \
            ALL_LABELS - {f"imm_{account}"}
        assert after[account]["filterMusic"] == ""
    # other conditions exactly as they were, ours taken out
    assert with_labels(after[2]["filterMovies"], set()) == THEIRS
    assert with_labels(after[3]["filterTelevision"], set()) == "contentRating!=TV-MA"
    filters = [i for i, e in enumerate(plex.timeline) if e[0] == "filter"]
    first_promote = next(i for i, e in enumerate(plex.timeline) if e[0] == "promote")
    assert filters and max(filters) < first_promote  # Cy's entries before any TV promotion
