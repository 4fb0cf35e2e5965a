"""Rejections and resets: titles a viewer never wants suggested again, and emptying datasets."""

from __future__ import annotations

from django.db import transaction

from recommendations.models import Approval, ImmaculateTasteTitle, RejectedTitle


def rejected_ids(viewer, media_type: str) -> set[int]:
    return set(RejectedTitle.objects.filter(viewer=viewer, media_type=media_type)
               .values_list("tmdb_id", flat=True))


def reject(viewer, media_type: str, tmdb_id: int, title: str = "") -> RejectedTitle:
    """Never suggest this title to the viewer again; its dataset rows are marked rejected."""
    with transaction.atomic():
        row, _ = RejectedTitle.objects.get_or_create(
            viewer=viewer, media_type=media_type, tmdb_id=tmdb_id, defaults={"title": title})
        ImmaculateTasteTitle.objects.filter(viewer=viewer, media_type=media_type,
                                            tmdb_id=tmdb_id).update(approval=Approval.REJECTED)
    return row


def reset_rejected(viewer=None, dry_run: bool = False) -> int:
    """Forget rejections (of one viewer, or everyone's); returns how many."""
    rows = RejectedTitle.objects.all()
    if viewer is not None:
        rows = rows.filter(viewer=viewer)
    return rows.count() if dry_run else rows.delete()[0]


def reset_immaculate(viewer=None, library=None, dry_run: bool = False) -> int:
    """Empty Immaculate Taste datasets (optionally of one viewer and/or library)."""
    rows = ImmaculateTasteTitle.objects.all()
    if viewer is not None:
        rows = rows.filter(viewer=viewer)
    if library is not None:
        rows = rows.filter(library=library)
    return rows.count() if dry_run else rows.delete()[0]
