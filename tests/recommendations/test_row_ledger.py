"""The order a sync leaves each row in (RowCollection.order): the next day's reshuffle recreates
a row without reading it first; a scheduled sync (verify=False) keeps a row unread while a whole
read showed that order in the last TRUST_DAYS days and Plex lists as many items; every other
case reads the row."""

import os

os.environ.setdefault("PLEXAPI_CONFIG_PATH", os.devnull)

from datetime import date, timedelta  # noqa: E402

import pytest  # noqa: E402
from django.utils import timezone  # noqa: E402

from recommendations.models import (  # noqa: E402
    ImmaculateTasteTitle,
    RowCollection,
    RowPosterUpload,
)
from recommendations.rows.data import TRUST_DAYS  # noqa: E402
from recommendations.rows.sync import desired_rows, sync_viewer_rows  # noqa: E402
from tests.recommendations.plexdouble import row_doubles  # noqa: E402

TODAY = date(2026, 3, 1)
TITLE = "Inspired by your Immaculate Taste (Ava)"


double, plex, server = row_doubles(no_retries=True, n_movies=200, n_shows=5, seed=77)


def _dataset(ava, library, server, size: int) -> list[int]:
    """Ava's Immaculate Taste dataset: `size` active titles in Plex."""
    data = server.query("/library/sections/1/all?type=1",
                        headers={"X-Plex-Container-Size": "500"})
    keys = [int(el.get("ratingKey")) for el in data][:size]
    now = timezone.now()
    for key in keys:
        ImmaculateTasteTitle.objects.create(
            viewer=ava, library=library, media_type="movie", tmdb_id=7000 + key,
            title=f"Title {key}", rating_key=str(key), status="active", points=10,
            first_suggested_at=now, last_suggested_at=now)
    return keys


@pytest.fixture
def taste(ava, library, server):
    return _dataset(ava, library, server, 40)


def _row(plex):
    return plex.collection_by_title(1, TITLE)


def _reads_of(plex, rating_key: int) -> int:
    return plex.count("GET", rf"^/library/collections/{rating_key}/children")


def _wanted(ava, library, server, day):
    return next(r.rating_keys for r in desired_rows(ava, library, server, day)
                if r.kind == "immaculate_taste")


def _move_in_plex(server, rating_key: int, item: int, after: int) -> None:
    """What an admin dragging the item in Plex Web sends."""
    server.query(f"/library/collections/{rating_key}/items/{item}/move?after={after}",
                 method=server._session.put)


def test_next_days_reshuffle_recreates_without_reading_the_row(plex, server, ava, library,
                                                               taste):
    sync_viewer_rows(server, ava, library, today=TODAY)
    old = _row(plex).rating_key
    stored = RowCollection.objects.get(account_id=ava.account_id, kind="immaculate_taste")
    assert [int(k) for k in stored.order.split(",")] == plex.collection_items(old)
    plex.clear()

    report = sync_viewer_rows(server, ava, library, today=TODAY + timedelta(days=1))

    entry = next(r for r in report.rows if r["kind"] == "immaculate_taste")
    new = _row(plex).rating_key
    assert report.ok and entry["action"] == "recreate" and new != old
    assert _reads_of(plex, old) == 0  # planned from the order the last sync left
    assert old not in plex.collections
    assert plex.collection_view(new) == _wanted(ava, library, server, TODAY + timedelta(days=1))
    stored.refresh_from_db()
    assert stored.rating_key == new
    assert [int(k) for k in stored.order.split(",")] == plex.collection_view(new)
    # the poster sent to the new row is the one on record, under its new rating key
    assert plex.count("POST", rf"^/library/metadata/{new}/posters$") == 1
    uploads = list(RowPosterUpload.objects.values_list("collection_rating_key", "title"))
    assert uploads == [(new, TITLE)]
    plex.clear()
    sync_viewer_rows(server, ava, library, today=TODAY + timedelta(days=1))
    assert plex.count("POST", r"/posters$") == 0  # known: not sent again


def test_a_row_reordered_by_someone_else_still_comes_out_as_planned(plex, server, ava, library,
                                                                    taste):
    sync_viewer_rows(server, ava, library, today=TODAY)
    old = _row(plex).rating_key
    items = plex.collection_items(old)
    _move_in_plex(server, old, items[0], items[-1])  # same items, another order
    plex.clear()

    report = sync_viewer_rows(server, ava, library, today=TODAY + timedelta(days=1))

    new = _row(plex).rating_key
    assert report.ok and _reads_of(plex, old) == 0
    assert plex.collection_view(new) == _wanted(ava, library, server, TODAY + timedelta(days=1))


def test_a_row_with_other_items_now_is_read_before_it_is_planned(plex, server, ava, library,
                                                                 taste):
    sync_viewer_rows(server, ava, library, today=TODAY)
    old = _row(plex).rating_key
    server.query(f"/library/collections/{old}/items/{taste[5]}", method=server._session.delete)
    plex.clear()

    report = sync_viewer_rows(server, ava, library, today=TODAY + timedelta(days=1))

    assert report.ok and _reads_of(plex, old) == 1  # 39 items, not the 40 we left
    assert plex.collection_view(_row(plex).rating_key) == _wanted(
        ava, library, server, TODAY + timedelta(days=1))


def test_the_same_days_sync_still_reads_and_repairs_the_order(plex, server, ava, library,
                                                              taste):
    sync_viewer_rows(server, ava, library, today=TODAY)
    rk = _row(plex).rating_key
    items = plex.collection_items(rk)
    _move_in_plex(server, rk, items[3], items[10])
    plex.clear()

    report = sync_viewer_rows(server, ava, library, today=TODAY)

    assert report.ok and _reads_of(plex, rk) >= 1
    assert _row(plex).rating_key == rk  # one move back, not a rebuild
    assert plex.collection_view(rk) == _wanted(ava, library, server, TODAY)


def test_a_failed_recreate_forgets_the_order_so_the_next_sync_reads(plex, server, ava, library,
                                                                    taste):
    sync_viewer_rows(server, ava, library, today=TODAY)
    old = _row(plex).rating_key
    plex.fault(status=500, path=r"^/library/collections/?$", method="POST")

    failed = sync_viewer_rows(server, ava, library, today=TODAY + timedelta(days=1))

    stored = RowCollection.objects.get(account_id=ava.account_id, kind="immaculate_taste")
    assert not failed.ok and stored.rating_key == old and stored.order == ""
    assert plex.collection_view(old) == _wanted(ava, library, server, TODAY)  # unchanged
    plex.clear()

    again = sync_viewer_rows(server, ava, library, today=TODAY + timedelta(days=1))

    assert again.ok and _reads_of(plex, old) == 1
    assert plex.collection_view(_row(plex).rating_key) == _wanted(
        ava, library, server, TODAY + timedelta(days=1))


def test_a_dry_run_reads_the_row_and_writes_no_order(plex, server, ava, library, taste):
    sync_viewer_rows(server, ava, library, today=TODAY)
    old = _row(plex).rating_key
    before = RowCollection.objects.get(account_id=ava.account_id, kind="immaculate_taste").order
    plex.clear()

    report = sync_viewer_rows(server, ava, library, dry_run=True, today=TODAY + timedelta(days=1))

    assert _reads_of(plex, old) == 1 and plex.writes() == 0
    assert next(r for r in report.rows if r["kind"] == "immaculate_taste")["action"] == "recreate"
    assert RowCollection.objects.get(account_id=ava.account_id,
                                     kind="immaculate_taste").order == before


def _stored(ava):
    return RowCollection.objects.get(account_id=ava.account_id, kind="immaculate_taste")


def test_a_scheduled_sync_keeps_a_row_read_back_lately_without_reading_it(plex, server, ava,
                                                                          library, taste):
    sync_viewer_rows(server, ava, library, today=TODAY)  # 40 items: read back whole
    rk, confirmed = _row(plex).rating_key, _stored(ava).confirmed_at
    assert confirmed is not None
    plex.clear()

    report = sync_viewer_rows(server, ava, library, today=TODAY, verify=False)

    entry = next(r for r in report.rows if r["kind"] == "immaculate_taste")
    assert report.ok and entry["action"] == "keep" and _reads_of(plex, rk) == 0
    assert plex.writes() == 0 and _stored(ava).confirmed_at == confirmed


def test_a_new_long_row_checked_by_its_first_page_is_read_whole_once_then_trusted(
        plex, server, ava, library):
    _dataset(ava, library, server, 150)  # over the 100 items a new row's check reads
    sync_viewer_rows(server, ava, library, today=TODAY, verify=False)
    rk = _row(plex).rating_key
    assert _stored(ava).order and _stored(ava).confirmed_at is None
    plex.clear()

    sync_viewer_rows(server, ava, library, today=TODAY, verify=False)
    assert _reads_of(plex, rk) == 1 and _stored(ava).confirmed_at is not None
    plex.clear()

    sync_viewer_rows(server, ava, library, today=TODAY, verify=False)
    assert _reads_of(plex, rk) == 0 and plex.collection_view(rk) == _wanted(
        ava, library, server, TODAY)


def test_a_row_reordered_in_plex_stays_until_a_verifying_sync_or_the_trust_runs_out(
        plex, server, ava, library, taste):
    sync_viewer_rows(server, ava, library, today=TODAY)
    rk = _row(plex).rating_key
    items = plex.collection_items(rk)
    _move_in_plex(server, rk, items[3], items[10])  # same items: nothing in Plex tells
    plex.clear()

    sync_viewer_rows(server, ava, library, today=TODAY, verify=False)
    assert _reads_of(plex, rk) == 0 and plex.collection_view(rk) != _wanted(
        ava, library, server, TODAY)  # the trade-off, bounded by what follows

    sync_viewer_rows(server, ava, library, today=TODAY)  # "Run now": reads and repairs
    assert _row(plex).rating_key == rk
    assert plex.collection_view(rk) == _wanted(ava, library, server, TODAY)

    _move_in_plex(server, rk, items[3], items[10])
    RowCollection.objects.filter(pk=_stored(ava).pk).update(
        confirmed_at=timezone.now() - timedelta(days=TRUST_DAYS, minutes=1))
    plex.clear()
    sync_viewer_rows(server, ava, library, today=TODAY, verify=False)
    assert _reads_of(plex, rk) >= 1
    assert plex.collection_view(rk) == _wanted(ava, library, server, TODAY)


def test_a_trusted_row_that_lost_an_item_in_plex_is_read_and_repaired(plex, server, ava,
                                                                      library, taste):
    sync_viewer_rows(server, ava, library, today=TODAY)
    rk = _row(plex).rating_key
    server.query(f"/library/collections/{rk}/items/{taste[5]}", method=server._session.delete)
    plex.clear()

    report = sync_viewer_rows(server, ava, library, today=TODAY, verify=False)

    assert report.ok and _reads_of(plex, rk) >= 1  # 39 items listed, 40 in the ledger
    assert plex.collection_view(_row(plex).rating_key) == _wanted(ava, library, server, TODAY)
