"""Must-show 2: share filters are merged, never overwritten, and turning private rows off puts
every one back exactly; the pure merge as properties."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from recommendations.models import PrivateRows, ShareFilterSnapshot
from recommendations.rows import shares
from recommendations.rows.private import our_labels, plan_filters, with_labels
from tests.fakes.plex.plextv import excluded_labels
from tests.recommendations.private.conftest import home, sync_all
from vault.clients.plextv import Share

THEIRS = "contentRating!=R,label!=other_tool"

condition = st.one_of(
    st.sampled_from(["contentRating!=R", "contentRating=G%2CPG", "label!=other_tool",
                     "label=kids", "label!=imm_x", "label!=imm_12a", "", "genre!=Horror"]),
    st.from_regex(r"[a-zA-Z]{1,8}!?=[a-z0-9_]{0,6}", fullmatch=True))
filter_string = st.builds(lambda parts, sep: sep.join(parts),
                          st.lists(condition, max_size=5), st.sampled_from(["|", ","])
                          ).filter(lambda s: not our_labels(s))  # strings of other tools only
labels = st.sets(st.integers(1, 40).map(lambda n: f"imm_{n}"), max_size=6)


@given(filter_string, labels)
def test_merge_then_remove_gives_the_string_back_exactly(value, wanted):
    merged = with_labels(value, wanted)
    assert with_labels(merged, set()) == value
    assert set(our_labels(merged)) == wanted
    assert merged.startswith(value)  # every other condition exactly as it was, in place


@given(filter_string, labels, labels)
def test_changing_our_entries_touches_nothing_else(value, first, second):
    once = with_labels(value, first)
    again = with_labels(once, second)
    assert with_labels(again, second) == again  # idempotent: no write when nothing changed
    assert with_labels(again, set()) == value
    assert set(our_labels(again)) == second
    assert excluded_labels(again) >= second  # Plex reads them as exclusions


def test_the_matrix_excludes_every_other_viewer_and_the_owner_everywhere():
    shares_now = {2: Share(2, "Bea"), 3: Share(3, "Cy", {"movie": "label!=imm_3"})}
    private = {1: None, 2: 2, 3: 3}
    changes = {(c.share, c.media): c.after for c in plan_filters(shares_now, private)}
    assert changes[(2, "movie")] == "label!=imm_1|label!=imm_3"
    assert changes[(3, "movie")] == "label!=imm_1|label!=imm_2"  # its own entry removed
    assert changes[(3, "show")] == "label!=imm_1|label!=imm_2"


def test_an_existing_filter_survives_and_turning_off_restores_every_share(stack):
    plextv = stack["plextv"]
    plextv.set_filter(2, "filterMovies", THEIRS)
    plextv.set_filter(3, "filterTelevision", "contentRating!=TV-MA|label!=kometa_x")
    before = {k: dict(v) for k, v in plextv.filters.items()}

    shares.turn_on(stack["server"])
    sync_all(stack)
    bea = plextv.filters[2]["filterMovies"]
    assert bea.startswith(THEIRS + ",")  # theirs first, exactly as it was
    assert with_labels(bea, set()) == THEIRS
    assert excluded_labels(bea) == {"other_tool", "imm_1", "imm_3", "imm_5"}
    assert plextv.filters[3]["filterTelevision"].startswith("contentRating!=TV-MA|label!=kometa_x|")
    assert ShareFilterSnapshot.objects.get(plextv_id=2, media="movie").original == THEIRS

    result = shares.turn_off()
    assert result.errors == [] and result.writes == 4  # one write per account
    assert plextv.filters == before
    assert not PrivateRows.load().enabled and not ShareFilterSnapshot.objects.exists()
    assert any(t.endswith("(Cy)") for t in home(stack, 2))  # back to the old behaviour


def test_a_sweep_with_nothing_changed_writes_nothing(stack):
    shares.turn_on(stack["server"])
    sync_all(stack)
    writes = stack["plextv"].filter_writes()
    sync_all(stack)
    again = shares.sweep()
    assert again.changes == [] and again.writes == 0
    assert stack["plextv"].filter_writes() == writes


def test_a_dry_run_shows_the_share_filter_changes_and_writes_nothing(stack):
    PrivateRows.objects.update_or_create(pk=1, defaults={"enabled": True})
    stack["plextv"].set_filter(2, "filterMovies", THEIRS)
    reports = sync_all(stack, dry_run=True)
    assert stack["plextv"].filter_writes() == 0 and stack["plex"].writes() == 0
    bea = next(c for c in reports[0].share_filters if c["account"] == "Bea"
               and c["library"] == "Movie libraries")
    assert bea["before"] == THEIRS and bea["after"].startswith(THEIRS + ",label!=imm_1")


def test_run_reports_show_each_share_filter_change_as_a_plan_line(stack):
    from jobs.definitions.rows import plan_entries

    PrivateRows.objects.update_or_create(pk=1, defaults={"enabled": True})
    stack["plextv"].set_filter(2, "filterMovies", THEIRS)
    report = sync_all(stack, dry_run=True)[0].as_dict()
    lines = [p for p in plan_entries(report) if p["row"].startswith("Share filter")]
    bea = next(p for p in lines if p["row"] == "Share filter of Bea (Movie libraries)")
    assert bea["action"] == "update"
    assert bea["other"] == [f"{THEIRS} → {THEIRS},label!=imm_1,label!=imm_3,label!=imm_5"]
    assert len(lines) == 8  # four shares, movies and TV each
