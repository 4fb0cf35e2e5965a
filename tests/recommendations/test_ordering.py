from datetime import date

from recommendations.rows.ordering import order_row, tier_of

TODAY = date(2026, 6, 15)


def title(n, released, rating):
    return {"tmdb_id": n, "release_date": released, "vote_average": rating}


ROW = [title(1, "1990-01-01", 8.1), title(2, "2001-05-05", 6.0), title(3, "1984-02-02", 4.2),
       title(4, "2026-02-01", 7.7), title(5, "2010-01-01", 5.0), title(6, "2015-03-03", 9.0),
       title(7, "2019-09-09", 6.6)]


def test_order_row_slot_one_is_released_this_year():
    ordered = order_row(ROW, rng_seed=3, today=TODAY)

    assert ordered[0]["tmdb_id"] == 4


def test_order_row_falls_back_to_last_three_months_across_new_year():
    row = ROW[:3] + [title(9, "2025-11-20", 6.1)]

    ordered = order_row(row, rng_seed=1, today=date(2026, 1, 10))

    assert ordered[0]["tmdb_id"] == 9


def test_order_row_then_one_title_per_rating_tier():
    ordered = order_row(ROW, rng_seed=5, today=TODAY)

    assert [tier_of(t) for t in ordered[1:4]] == ["high", "mid", "low"]


def test_order_row_without_fresh_titles_starts_with_tiers():
    row = [t for t in ROW if t["tmdb_id"] != 4]

    ordered = order_row(row, rng_seed=2, today=TODAY)

    assert [tier_of(t) for t in ordered[:3]] == ["high", "mid", "low"]


def test_order_row_same_seed_same_order_and_keeps_every_title():
    first = order_row(ROW, rng_seed=42, today=TODAY)
    again = order_row(ROW, rng_seed=42, today=TODAY)

    assert first == again
    assert sorted(t["tmdb_id"] for t in first) == list(range(1, 8))


def test_order_row_different_seeds_shuffle_the_rest():
    orders = {tuple(t["tmdb_id"] for t in order_row(ROW, rng_seed=s, today=TODAY))
              for s in range(20)}

    assert len(orders) > 1


def test_order_row_accepts_objects_with_date_values():
    class Row:
        def __init__(self, n, released, rating):
            self.tmdb_id, self.release_date, self.vote_average = n, released, rating

    rows = [Row(1, date(2026, 3, 1), 5.0), Row(2, None, 0.0)]

    assert order_row(rows, rng_seed=0, today=TODAY)[0].tmdb_id == 1


def test_order_row_empty_is_empty():
    assert order_row([], rng_seed=1, today=TODAY) == []
