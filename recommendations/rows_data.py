"""What the row sync reads from and writes to the database: the datasets behind each row, item
names for readable diffs, and the poster ledger."""

from __future__ import annotations

from datetime import date

from recommendations.ordering import order_row


def row_keys(kind: str, viewer, library, server, today: date, rng_seed: int) -> list[int]:
    """The row's Plex rating keys in row order (active titles only)."""
    if kind == "fresh_out":
        from recommendations.rows_fresh import unwatched_recent

        return [item.rating_key for item in unwatched_recent(server, viewer, library, today)]
    titles = _active_titles(kind, viewer, library)
    ordered = order_row(titles, rng_seed=rng_seed, today=today)
    return _keys(ordered)


def _active_titles(kind: str, viewer, library) -> list:
    from recommendations.models import (
        ImmaculateTasteTitle,
        LatestWatchedTitle,
        RecommendationSettings,
    )

    scope = {"viewer": viewer, "library": library, "media_type": library.kind,
             "status": "active", "rating_key__isnull": False}
    if kind == "immaculate_taste":  # uncapped; points decide what stays, never the order
        return list(ImmaculateTasteTitle.objects.filter(**scope).order_by("tmdb_id"))
    limit = RecommendationSettings.load().collection_limit
    return list(LatestWatchedTitle.objects.filter(list_kind=kind, **scope)
                .order_by("position")[:limit])


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
    from vault.models import PlexItem

    keys = set(plan.add) | set(plan.remove) | {k for m in plan.moves for k in m if k}
    if not keys:
        return {}
    return {key: f"{title} ({year})" if year else title for key, title, year in
            PlexItem.objects.filter(library=library, rating_key__in=keys)
            .values_list("rating_key", "title", "year")}


def known_poster(rating_key: int) -> str | None:
    """The SHA-256 of the poster last sent to this collection, if we sent one."""
    from recommendations.rowstate import RowPosterUpload

    return RowPosterUpload.objects.filter(collection_rating_key=rating_key)\
        .values_list("sha256", flat=True).first()


def remember(outcome, plan, section_key: int) -> None:
    """Keep the ledger in step: the poster just uploaded, and no entries for deleted rows."""
    from recommendations.rowstate import RowPosterUpload

    gone = [k for k in [*plan.drop, plan.collection] if k and k != outcome.collection]
    if gone and outcome.ok:
        RowPosterUpload.objects.filter(collection_rating_key__in=gone).delete()
    if outcome.poster_uploaded and outcome.collection:
        RowPosterUpload.objects.update_or_create(
            collection_rating_key=outcome.collection,
            defaults={"section_key": section_key, "title": plan.title,
                      "sha256": outcome.poster_uploaded})
