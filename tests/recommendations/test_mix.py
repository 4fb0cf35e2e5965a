import math
from datetime import date
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from recommendations.engine.mix import bucket_of, quotas, targets, upcoming_share

TODAY = date(2026, 6, 15)


@pytest.mark.parametrize(("count", "percent", "released", "upcoming"), [
    (10, 25, 7, 3),  # 2.5 rounds half up (Python's round() would say 2)
    (10, 15, 8, 2),  # 1.5 → 2
    (10, 35, 6, 4),  # 3.5 → 4: each 10% step on 10 titles moves one
    (6, 25, 4, 2),  # 1.5 → 2
    (10, 24, 8, 2),  # 2.4 → 2
    (10, 0, 10, 0),
    (10, 75, 3, 7),
    (8, 75, 2, 6),
    (5, 75, 2, 3),  # 3.75 rounds to 4, but released keeps ceil(25% of 5) = 2
    (100, 40, 60, 40),
])
def test_targets_split_count_by_upcoming_percent(count, percent, released, upcoming):
    want = targets(count, percent)

    assert (want["released"], want["upcoming"]) == (released, upcoming)


@given(st.integers(min_value=1, max_value=100), st.integers(min_value=0, max_value=100))
def test_targets_keep_released_at_least_a_quarter(count, percent):
    want = targets(count, percent)

    assert want["released"] >= count * 0.25
    assert want["released"] + want["upcoming"] == count


@given(st.integers(min_value=1, max_value=100), st.integers(min_value=0, max_value=100))
def test_upcoming_share_rounds_halves_up_exactly(count, percent):
    exact = Fraction(count * percent, 100)

    assert upcoming_share(count, percent) == math.floor(exact + Fraction(1, 2))


@given(st.integers(min_value=5, max_value=100), st.integers(min_value=0, max_value=74))
def test_targets_never_ask_fewer_upcoming_for_a_higher_percent(count, percent):
    assert targets(count, percent + 1)["upcoming"] >= targets(count, percent)["upcoming"]


@given(st.integers(min_value=5, max_value=100), st.integers(min_value=0, max_value=75),
       st.dictionaries(st.sampled_from(["released", "upcoming", "unknown"]),
                       st.integers(min_value=0, max_value=120)))
def test_quotas_never_exceed_availability_and_fill_when_possible(count, percent, available):
    got = quotas(count, percent, available)

    assert all(got[b] <= available.get(b, 0) for b in got)
    assert sum(got.values()) == min(count, sum(available.values()))


def test_quotas_fill_an_upcoming_shortfall_with_released():
    got = quotas(10, 50, {"released": 30, "upcoming": 2, "unknown": 5})

    assert got == {"released": 8, "upcoming": 2, "unknown": 0}


@pytest.mark.parametrize(("released", "bucket"), [
    ("2026-06-15", "released"), ("1999-01-01", "released"), ("2026-06-16", "upcoming"),
    ("2028-06-14", "upcoming"), ("2028-07-01", None), ("", "unknown"), (None, "unknown"),
    ("not a date", "unknown"),
])
def test_bucket_of_classifies_release_dates(released, bucket):
    assert bucket_of(released, TODAY) == bucket
