"""Where a viewer's rows are pinned: by role only, the same for every kind of row."""

import pytest

from recommendations.rows.sync import pins_for


@pytest.mark.parametrize("kind", ["recently_watched", "change_of_taste", "immaculate_taste",
                                  "fresh_out"])
def test_pins_owner_rows_of_every_kind_go_to_library_recommended_and_home(ava, bea, kind):
    assert ava.is_owner and not bea.is_owner
    assert pins_for(ava, kind) == (True, True, False)  # PRODUCT.md: admin rows, no exception
    assert pins_for(bea, kind) == (False, False, True)
