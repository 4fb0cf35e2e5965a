"""A row's poster as a recipe (rows.posters draws it): its hash known without drawing it."""

from __future__ import annotations

import contextlib
import hashlib
import threading
from collections import OrderedDict
from pathlib import Path

from django.conf import settings

from immaculaterr import diskcache
from recommendations.models import RowPoster
from recommendations.rows import posters
from recommendations.types import KINDS

# Bump when the drawing changes, so every row's poster is drawn (and sent) again.
ART_VERSION = "1"
_SHAS: OrderedDict[str, str] = OrderedDict()  # recipe -> SHA-256 of the bytes it draws
_SHAS_MAX = 4096  # ~100 bytes each: every kind for a few hundred viewers
_SHAS_LOCK = threading.Lock()
# Drawn posters are kept on disk by recipe, so a daily reshuffle (every row made again, each
# needing its poster sent) reads ~45 KB instead of drawing for 30-180 ms. Oldest go first.
DISK_CAP = 64 * 1024 * 1024  # bytes: ~1,400 posters
FOLDER = "row-posters"


class RowArt:
    """A row's poster as a recipe: which artwork, which name. Its SHA-256 is known without
    drawing it (remembered per recipe), and it is drawn only when it has to be sent.

    Drawing one takes 30-180 ms; a sweep of 50 viewers × 2 libraries × 4 rows used to draw all
    400 just to compare their hashes with the poster ledger (recommendations.rows.data), when
    nothing had changed. The recipe names everything the bytes depend on (the kind, the name,
    the admin's upload and its name band, ART_VERSION), so the same recipe always draws the
    same bytes (drawing is deterministic) and its hash can be reused.
    """

    def __init__(self, kind: str, viewer_name: str, custom_sha: str | None = None,
                 stamp: bool = True):
        self.kind, self.viewer_name = kind, viewer_name
        self.custom_sha, self.stamp = custom_sha, stamp
        self._data: bytes | None = None

    @property
    def recipe(self) -> str:
        source = f"upload:{self.custom_sha}:{int(self.stamp)}" if self.custom_sha else "drawn"
        return f"{ART_VERSION}|{self.kind}|{source}|{self.viewer_name}"

    @property
    def sha(self) -> str:
        if self.custom_sha and not self.stamp:
            return self.custom_sha  # sent as uploaded: the upload's own hash
        with _SHAS_LOCK:
            known = _SHAS.get(self.recipe)
            if known is not None:
                _SHAS.move_to_end(self.recipe)
                return known
        digest = hashlib.sha256(self.data()).hexdigest()
        with _SHAS_LOCK:
            _SHAS[self.recipe] = digest
            while len(_SHAS) > _SHAS_MAX:
                _SHAS.popitem(last=False)
        return digest

    def data(self) -> bytes:
        if self._data is None:
            self._data = self._draw()
        return self._data

    def _draw(self) -> bytes:
        if self.custom_sha and not self.stamp:  # sent as uploaded
            return self._upload() or posters.render_poster(self.kind, self.viewer_name)
        path = _cache_dir() / (hashlib.sha256(self.recipe.encode()).hexdigest() + ".jpg")
        kept = diskcache.read(path)
        if kept is not None:
            return kept
        upload = self._upload() if self.custom_sha else None
        if self.custom_sha and upload is None:  # removed meanwhile: as the next sync chooses
            return posters.render_poster(self.kind, self.viewer_name)
        data = (posters.stamp_name(upload, self.viewer_name) if upload is not None
                else posters.render_poster(self.kind, self.viewer_name))
        with contextlib.suppress(OSError):  # a folder that cannot be written costs the cache
            diskcache.store(path, data, DISK_CAP)
        return data

    def _upload(self) -> bytes | None:
        custom = RowPoster.objects.filter(kind=self.kind).first()
        return bytes(custom.image) if custom is not None else None

    def __repr__(self) -> str:
        return f"RowArt({self.recipe!r})"


def row_art(kind: str, viewer_name: str) -> RowArt:
    """The poster a row of this kind should show for this viewer (one small query: the
    upload's hash and name-band switch, not its bytes)."""
    if kind not in KINDS:
        raise ValueError(f"unknown row kind {kind!r}")
    custom = RowPoster.objects.filter(kind=kind).values_list("sha256", "stamp_name").first()
    if custom is None:
        return RowArt(kind, viewer_name)
    return RowArt(kind, viewer_name, custom[0], custom[1])


def forget_art() -> None:
    """Forget the remembered hashes (tests; the recipe already changes with every upload)."""
    with _SHAS_LOCK:
        _SHAS.clear()


def _cache_dir() -> Path:
    return Path(settings.DATA_DIR) / FOLDER
