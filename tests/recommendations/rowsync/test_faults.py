"""Faults while a row is written: each leaves the viewer's previous row, and says why."""

from tests.recommendations.rowsync.helpers import (
    OWNER,
    flags,
    hub_of,
    row,
    spec,
    sync,
)


def test_failed_create_keeps_the_previous_row_and_reports_why(plex, server, movies):
    sync(server, [spec("immaculate_taste", "Ava", movies[:30])])
    old = row(plex, "Inspired by your Immaculate Taste (Ava)")
    plex.fault(status=500, path=r"^/library/collections/?$", method="POST")

    result = sync(server, [spec("immaculate_taste", "Ava", movies[40:70])])

    plan, outcome = result.rows[0]
    assert plan.path == "recreate" and not outcome.ok
    assert outcome.error["step"] == "create collection" and outcome.error["transient"]
    assert "Plex" in outcome.error["reason"] and "500" in outcome.error["reason"]
    assert [c.rating_key for c in plex.collections.values()] == [old.rating_key]
    assert plex.collection_items(old.rating_key) == movies[:30]
    assert flags(hub_of(plex, old)) == OWNER


def test_failed_add_keeps_the_previous_row_and_reports_why(plex, server, movies):
    sync(server, [spec("immaculate_taste", "Ava", movies[:30])])
    old = row(plex, "Inspired by your Immaculate Taste (Ava)")
    plex.fault(status=503, path=r"/library/collections/\d+/items$", method="PUT")

    result = sync(server, [spec("immaculate_taste", "Ava", movies[:30] + movies[30:32])])

    plan, outcome = result.rows[0]
    assert plan.path == "update" and not outcome.ok
    assert outcome.error["step"] == "add items" and "Plex" in outcome.error["reason"]
    assert outcome.rollback == "restored the previous items and order"
    assert plex.collection_items(old.rating_key) == movies[:30]


def test_failed_move_restores_the_previous_items_and_order(plex, server, movies):
    sync(server, [spec("immaculate_taste", "Ava", movies[:30])])
    old = row(plex, "Inspired by your Immaculate Taste (Ava)")
    changed = movies[:30] + [movies[40]]
    changed[0], changed[1], changed[2] = changed[2], changed[0], changed[1]
    plex.fault(status=500, path=r"/move$", method="PUT")

    result = sync(server, [spec("immaculate_taste", "Ava", changed)])

    outcome = result.rows[0][1]
    assert outcome.error["step"] == "move item"
    assert plex.collection_items(old.rating_key) == movies[:30]


def test_failed_pin_of_a_recreated_row_keeps_the_old_row(plex, server, movies):
    sync(server, [spec("immaculate_taste", "Ava", movies[:30])])
    old = row(plex, "Inspired by your Immaculate Taste (Ava)")
    plex.fault(status=500, path=r"^/hubs/sections/1/manage$", method="POST")

    result = sync(server, [spec("immaculate_taste", "Ava", movies[40:70])])

    assert result.rows[0][1].error["step"] == "pin row"
    assert [c.rating_key for c in plex.collections.values()] == [old.rating_key]
