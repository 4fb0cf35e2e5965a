"""Pure row planning: the fewest moves between two orders, and ids cut into uri chunks."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from recommendations.rows.plan import apply_moves, plan_moves
from vault.clients.collections import uri_chunks


def lis_length(seq):
    best = [1] * len(seq)
    for i in range(len(seq)):
        for j in range(i):
            if seq[j] < seq[i]:
                best[i] = max(best[i], best[j] + 1)
    return max(best, default=0)


@given(st.permutations(list(range(40))).flatmap(
    lambda p: st.tuples(st.just(p), st.permutations(p))))
def test_plan_moves_reaches_desired_with_n_minus_lis_moves(orders):
    current, desired = list(orders[0]), list(orders[1])

    moves = plan_moves(current, desired)

    position = {item: i for i, item in enumerate(desired)}
    assert apply_moves(current, moves) == desired
    assert len(moves) == len(desired) - lis_length([position[i] for i in current])


def test_plan_moves_same_order_needs_no_move():
    assert plan_moves([3, 1, 2], [3, 1, 2]) == []


def test_plan_moves_one_item_out_of_place_is_one_move():
    assert plan_moves([1, 2, 3, 4, 5], [1, 2, 5, 3, 4]) == [(5, 2)]
    assert plan_moves([1, 2, 3], [3, 1, 2]) == [(3, None)]


def test_plan_moves_different_items_are_refused():
    with pytest.raises(ValueError):
        plan_moves([1, 2], [1, 3])


def test_uri_chunks_keep_order_and_each_part_fits_the_budget():
    keys = list(range(1, 3000))

    chunks = uri_chunks(keys, budget=500)

    assert [k for chunk in chunks for k in chunk] == keys
    assert all(sum(len(str(k)) + 3 for k in chunk) <= 500 for chunk in chunks)
    assert uri_chunks([], budget=500) == []
    assert uri_chunks(keys[:800]) == [keys[:800]]  # a row this long still goes in one request
