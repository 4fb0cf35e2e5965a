"""What the row sync reads from and writes to the database: the datasets behind each row, item
names for readable diffs, the poster ledger and each row's collection (its identity)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from django.utils import timezone

from recommendations.datasets.resets import rejected_ids
from recommendations.models import (
    ImmaculateTasteTitle,
    LatestWatchedTitle,
    RecommendationSettings,
    RowCollection,
    RowPosterUpload,
)
from recommendations.rows.fresh import unwatched_recent
from recommendations.rows.ordering import order_row
from vault.models import PlexItem

# How long a row's order, once read back whole, is trusted for keeping it unread (see trusted).
TRUST_DAYS = 7
# What a row needs of each dataset title (ordering.order_row reads release_date and
# vote_average; a plan's decay, points): the rest (metadata, timestamps, why) is not loaded,
# for ~1,250 titles of a busy Immaculate Taste dataset at every sync.
_FIELDS = ("tmdb_id", "rating_key", "status", "release_date", "vote_average")
ROW_FIELDS = {ImmaculateTasteTitle: (*_FIELDS, "points"),
              LatestWatchedTitle: (*_FIELDS, "list_kind", "position")}


def row_keys(kind: str, viewer, library, server, today: date, rng_seed: int,
             overlay=None, fresh=None) -> list[int]:
    """The row's Plex rating keys in row order (active titles only). With `overlay` (a
    recommendations.datasets.plans.DatasetPlan), the datasets as if that plan were applied;
    `fresh`: Fresh Out's keys, when the caller has just read them."""
    if kind == "fresh_out":
        if fresh is not None:
            return list(fresh)
        return [item.rating_key for item in unwatched_recent(server, viewer, library, today)]
    titles = _active_titles(kind, viewer, library, overlay)
    ordered = order_row(titles, rng_seed=rng_seed, today=today)
    return _keys(ordered)


def _active_titles(kind: str, viewer, library, overlay=None) -> list:
    """Active titles with a rating key, never one the viewer rejected (it leaves the rows at
    the next sync, not when it decays)."""
    model = ImmaculateTasteTitle if kind == "immaculate_taste" else LatestWatchedTitle
    scope = {"viewer": viewer, "library": library, "media_type": library.kind}
    fields = ROW_FIELDS[model]
    if overlay is None:  # the stored datasets as they are: only the rows a row can show
        rows = list(model.objects.filter(**scope, status="active", rating_key__isnull=False)
                    .values_list(*fields, named=True))
    else:  # a plan may turn a pending row active: every row, then the plan on top
        rows = overlay.view(model, only=fields, **scope)
    rejected = rejected_ids(viewer, library.kind)
    rows = [r for r in rows if r.status == "active" and r.rating_key is not None
            and r.tmdb_id not in rejected]
    if kind == "immaculate_taste":  # uncapped; points decide what stays, never the order
        return sorted(rows, key=lambda r: r.tmdb_id)
    limit = RecommendationSettings.load().collection_limit
    return sorted((r for r in rows if r.list_kind == kind), key=lambda r: r.position)[:limit]


def _keys(titles) -> list[int]:
    keys = []
    for title in titles:
        try:
            keys.append(int(title.rating_key))
        except (TypeError, ValueError):
            continue
    return list(dict.fromkeys(keys))


def item_names(library, plan) -> dict[int, str]:
    """"Title (year)" for every item a diff names, in one query."""
    keys = set(plan.add) | set(plan.remove) | {k for m in plan.moves for k in m if k}
    if not keys:
        return {}
    return {key: f"{title} ({year})" if year else title for key, title, year in
            PlexItem.objects.filter(library=library, rating_key__in=keys)
            .values_list("rating_key", "title", "year")}


def known_poster(rating_key: int) -> str | None:
    """The SHA-256 of the poster last sent to this collection, if we sent one."""
    return RowPosterUpload.objects.filter(collection_rating_key=rating_key)\
        .values_list("sha256", flat=True).first()


def known_posters(rating_keys) -> Callable[[int], str | None]:
    """known_poster for a sync's rows: their collections' posters read in one query (a
    collection found by title instead is looked up on its own)."""
    keys = {k for k in rating_keys if k}
    sent = dict(RowPosterUpload.objects.filter(collection_rating_key__in=keys)
                .values_list("collection_rating_key", "sha256")) if keys else {}
    return lambda rating_key: sent.get(rating_key) if rating_key in keys \
        else known_poster(rating_key)


def remember(outcome, plan, section_key: int) -> None:
    """Keep the ledger in step: the poster just uploaded, and no entries for deleted rows."""
    gone = [k for k in [*plan.drop, plan.collection] if k and k != outcome.collection]
    if outcome.poster_uploaded and outcome.collection:
        fields = {"section_key": section_key, "title": plan.title,
                  "sha256": outcome.poster_uploaded, "uploaded_at": timezone.now()}
        if outcome.ok and plan.path == "recreate" and gone[:1] == [plan.collection] and \
                RowPosterUpload.objects.filter(collection_rating_key=plan.collection).update(
                    collection_rating_key=outcome.collection, **fields):
            gone = gone[1:]  # the old row's entry became the new row's: one query, not three
        else:
            RowPosterUpload.objects.update_or_create(collection_rating_key=outcome.collection,
                                                     defaults=fields)
    if gone and outcome.ok:
        RowPosterUpload.objects.filter(collection_rating_key__in=gone).delete()


def row_collections(library, account_id: int | None = None) -> dict[tuple[int, str],
                                                                   RowCollection]:
    """(account id, kind) -> the collection each viewer's row was last synced to here (only
    `account_id`'s rows, when given)."""
    rows = RowCollection.objects.filter(library_key=int(library.key))
    if account_id is not None:
        rows = rows.filter(account_id=account_id)
    return {(r.account_id, r.kind): r for r in rows}


def foreign_rows(library, account_id: int) -> frozenset[int]:
    """The collections of the other viewers' rows here: never this viewer's row, whatever
    their title. Rating keys only: fifty viewers' ledger rows (orders of up to 1,250 keys)
    were read whole for every viewer's sync."""
    return frozenset(RowCollection.objects.filter(library_key=int(library.key))
                     .exclude(account_id=account_id).values_list("rating_key", flat=True))


def remember_row(viewer, library, kind: str, rating_key: int | None, title: str,
                 labelled: bool, order: list[int] | None = None,
                 confirmed: bool | None = None, known=...) -> None:
    """Keep the row's identity: its collection now (None: the row is gone), and the order the
    sync left it in (None: not known, so the next sync reads it). `confirmed`: True when this
    sync read that order back whole from Plex, False when it did not (a new row checked by its
    first page), None to keep what the ledger says (a row kept without reading). `known`: the
    ledger row as this sync read it under the rows lock (None: there was none), so it is not
    read again."""
    found = RowCollection.objects.filter(account_id=viewer.account_id,
                                         library_key=int(library.key), kind=kind)
    if rating_key is None:
        found.delete()
        return
    row = found.first() if known is ... else known
    text = ",".join(str(k) for k in order or ())
    now = timezone.now()
    same = bool(row and row.rating_key == rating_key and row.order == text)
    if not text or confirmed is False:
        confirmed_at = None
    elif confirmed:  # refreshed at most daily: a sync that reads and keeps writes nothing
        recent = same and row.confirmed_at and now - row.confirmed_at < timedelta(days=1)
        confirmed_at = row.confirmed_at if recent else now
    else:
        confirmed_at = row.confirmed_at if same else None
    if same and row.title == title and (row.labelled or not labelled) and \
            row.confirmed_at == confirmed_at:
        return
    fields = {"rating_key": rating_key, "title": title, "order": text,
              "confirmed_at": confirmed_at,
              "labelled": labelled or bool(row and row.rating_key == rating_key and row.labelled)}
    if row is not None and found.filter(pk=row.pk).update(**fields):
        return
    RowCollection.objects.update_or_create(account_id=viewer.account_id,
                                           library_key=int(library.key), kind=kind,
                                           defaults=fields)


def trusted(row: RowCollection | None, now=None) -> bool:
    """Whether a sync may keep this row without reading it: a whole read showed its order in
    the last TRUST_DAYS days (the caller also checks that Plex still lists that many items).
    Plex does not mark a collection changed when its items are moved (nothing in a listing
    tells a reordered row from an untouched one), so this is a bound on how long a row
    reordered by hand in Plex can stay so; "Run now" and run_job always read every row."""
    if not (row and row.order and row.confirmed_at):
        return False
    return (now or timezone.now()) - row.confirmed_at < timedelta(days=TRUST_DAYS)


def order_of(row: RowCollection | None) -> tuple[int, ...]:
    """The order a row's last sync left it in, () when unknown."""
    try:
        return tuple(int(k) for k in row.order.split(",")) if row and row.order else ()
    except ValueError:  # not ours to trust: read the row
        return ()
