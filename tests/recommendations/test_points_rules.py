"""The points rules (PRODUCT.md "Datasets and points") as properties of points.update."""

from hypothesis import given
from hypothesis import strategies as st

from recommendations.datasets.points import ACTIVE, PENDING, activate, update

ids = st.integers(min_value=1, max_value=60)
entry = st.one_of(st.tuples(st.just(ACTIVE), st.integers(min_value=1, max_value=100)),
                  st.tuples(st.just(PENDING), st.just(0)))
states = st.dictionaries(ids, entry, max_size=40)
suggestions = st.dictionaries(ids, st.booleans(), max_size=20)
max_points = st.integers(min_value=1, max_value=100)


@given(states, suggestions, max_points)
def test_update_active_titles_never_at_or_below_zero(state, suggested, top):
    after = update(state, suggested, top)

    assert all(points > 0 for status, points in after.values() if status == ACTIVE)


@given(states, suggestions, max_points)
def test_update_pending_titles_always_at_zero(state, suggested, top):
    after = update(state, suggested, top)

    assert all(points == 0 for status, points in after.values() if status == PENDING)


@given(states, suggestions, max_points)
def test_update_decays_unsuggested_active_titles_by_exactly_one(state, suggested, top):
    after = update(state, suggested, top)

    for tmdb_id, (status, points) in state.items():
        if status == ACTIVE and tmdb_id not in suggested and points > 1:
            assert after[tmdb_id] == (ACTIVE, points - 1)


@given(states, suggestions, max_points)
def test_update_removes_active_titles_that_reach_zero(state, suggested, top):
    after = update(state, suggested, top)

    for tmdb_id, (status, points) in state.items():
        if status == ACTIVE and tmdb_id not in suggested and points == 1:
            assert tmdb_id not in after


@given(states, suggestions, max_points)
def test_update_resuggested_active_or_in_plex_titles_reset_to_max(state, suggested, top):
    after = update(state, suggested, top)

    for tmdb_id, in_plex in suggested.items():
        if in_plex or state.get(tmdb_id, (PENDING, 0))[0] == ACTIVE:
            assert after[tmdb_id] == (ACTIVE, top)
        else:
            assert after[tmdb_id] == (PENDING, 0)


@given(states, suggestions, max_points)
def test_update_preserves_unsuggested_pending_titles(state, suggested, top):
    after = update(state, suggested, top)

    for tmdb_id, (status, _points) in state.items():
        if status == PENDING and tmdb_id not in suggested:
            assert after[tmdb_id] == (PENDING, 0)


@given(states, suggestions, max_points)
def test_update_keeps_every_suggestion_and_invents_nothing(state, suggested, top):
    after = update(state, suggested, top)

    assert set(suggested) <= set(after) <= set(state) | set(suggested)


@given(states, st.sets(ids), max_points)
def test_activate_moves_only_pending_titles_in_plex_to_max(state, in_plex, top):
    after = activate(state, in_plex, top)

    for tmdb_id, (status, points) in state.items():
        if status == PENDING and tmdb_id in in_plex:
            assert after[tmdb_id] == (ACTIVE, top)
        else:
            assert after[tmdb_id] == (status, points)


def test_update_title_never_resuggested_lasts_max_updates():
    state = update({}, {7: True}, 50)

    lifetimes = 0
    while 7 in state:
        state = update(state, {}, 50)
        lifetimes += 1

    assert lifetimes == 50
