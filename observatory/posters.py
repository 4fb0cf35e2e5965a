"""The poster proxy: the deck's posters come from us, never from TMDB, so the page's
Content-Security-Policy stays strict and a slow TMDB never stalls a card.

Each poster is fetched from TMDB once per size, resized to a card and kept on disk under
DATA_DIR/posters (a size cap evicts the least recently shown), so restarts do not fetch again.
When TMDB has no poster, or cannot be reached in a few seconds, a drawn card (the title's
initials on a colour from the id) is served for a short while and never stored as the poster.
"""

from __future__ import annotations

import colorsys
import hashlib
import io
import re
import threading
from pathlib import Path

from django.conf import settings
from django.http import Http404, HttpResponse, HttpResponseNotModified
from django.views.decorators.http import require_safe
from PIL import Image, ImageDraw, ImageFont, ImageOps, UnidentifiedImageError

from immaculaterr import diskcache
from recommendations.engine.tmdbcache import BudgetExhausted, CachedTmdb
from recommendations.models import ImmaculateTasteTitle, LatestWatchedTitle, MissingSend
from vault.clients import factory
from vault.clients.errors import ServiceError

KINDS = {"movie": "movie", "tv": "show"}  # URL kind → our media_type
WIDTHS = {154: "w154", 342: "w342", 500: "w500"}  # card width → the TMDB size fetched
DEFAULT_WIDTH = 342
MAX_BYTES = 5 * 1024 * 1024
MAX_SHORT, MAX_LONG = 4000, 6000  # as recommendations.rows.posters: ~72 MB decoded at most
FORMATS = ["JPEG", "PNG", "WEBP"]
WAIT = 4.0  # seconds; a poster is worth less than a stalled deck
LONG = "private, max-age=31536000, immutable"
SHORT = "private, max-age=60"
POSTER_PATH = re.compile(r"/[A-Za-z0-9_-]{1,100}\.(jpg|jpeg|png|webp)")

_image_bases: dict[str, str] = {}  # TMDB_BASE_URL → where its images live, asked once
_fetching: dict[str, threading.Lock] = {}  # one fetch per poster file, however many ask
_lock = threading.Lock()


class Refused(Exception):
    """The image TMDB sent is not one we decode."""


def clear_memory() -> None:
    """Forget what this process learned (tests use it to stand for a restart)."""
    with _lock:
        _image_bases.clear()


@require_safe
def poster(request, kind, tmdb_id):
    media_type = KINDS.get(kind)
    if media_type is None or not 0 < int(tmdb_id) < 2**31:
        raise Http404("Posters are for a movie or a tv id.")
    width = _width(request.GET.get("w"))
    path = cache_dir() / f"{kind}-{int(tmdb_id)}-w{width}.jpg"
    data, title = diskcache.read(path), ""
    if data is None:
        with _file_lock(path):  # two tabs or a preload asking at once cost one fetch
            data = diskcache.read(path)
            if data is None:
                data, title = _fetch(kind, media_type, int(tmdb_id), width, path)
    if data is not None:
        return _respond(request, data, "image/jpeg", LONG)
    return _respond(request, fallback(title, int(tmdb_id), width), "image/png", SHORT)


def _file_lock(path: Path) -> threading.Lock:
    with _lock:
        return _fetching.setdefault(path.name, threading.Lock())


def cache_dir() -> Path:
    return Path(settings.DATA_DIR) / "posters"


def cap_bytes() -> int:
    return int(float(getattr(settings, "POSTER_CACHE_MAX_MB", 200)) * 1024 * 1024)


def _width(raw) -> int:
    width = int(raw) if isinstance(raw, str) and raw.isascii() and raw.isdigit() \
        and len(raw) < 5 else 0
    return width if width in WIDTHS else DEFAULT_WIDTH


def _respond(request, data: bytes, content_type: str, cache_control: str):
    etag = f'"{hashlib.sha256(data).hexdigest()[:32]}"'
    if etag in request.headers.get("If-None-Match", ""):
        response = HttpResponseNotModified()
    else:
        response = HttpResponse(data, content_type=content_type)
    response["ETag"] = etag
    response["Cache-Control"] = cache_control
    return response


# TMDB --------------------------------------------------------------------------------------
def _fetch(kind: str, media_type: str, tmdb_id: int, width: int, path: Path):
    """(card JPEG or None, title for the drawn card). The title comes from our own rows
    first, so the drawn card names it even when TMDB is down or not connected."""
    known = _known(media_type, tmdb_id)
    title = known[1] if known else ""
    try:
        client = factory.tmdb()
        poster_path, title = known or _details(client, kind, tmdb_id)
        if not POSTER_PATH.fullmatch(poster_path or ""):
            return None, title
        url = f"{_image_base(client)}{WIDTHS[width]}{poster_path}"
        data = resize(client.image(url, limit=MAX_BYTES, wait=WAIT), width)
    except (ServiceError, BudgetExhausted, Refused):
        return None, title
    diskcache.store(path, data, cap_bytes())
    return data, title


def _known(media_type: str, tmdb_id: int) -> tuple[str, str] | None:
    """(poster path, title) from our datasets when a row knows the title."""
    for model in (ImmaculateTasteTitle, LatestWatchedTitle, MissingSend):
        rows = model.objects.filter(media_type=media_type, tmdb_id=tmdb_id)
        found = rows.exclude(poster_path="").values_list("poster_path", "title").first() \
            or rows.values_list("poster_path", "title").first()
        if found:
            return found
    return None


def _details(client, kind: str, tmdb_id: int) -> tuple[str, str]:
    details = CachedTmdb(client, budget=1).details(kind, tmdb_id)
    return str(details.get("poster_path") or ""), str(details.get("title")
                                                     or details.get("name") or "")


def _image_base(client) -> str:
    key = settings.TMDB_BASE_URL
    with _lock:
        base = _image_bases.get(key)
    if base is None:
        base = client.image_base()
        with _lock:
            _image_bases[key] = base
    return base


def resize(data: bytes, width: int) -> bytes:
    """A width × 1.5·width JPEG; the header's size is checked before any pixel is decoded."""
    try:
        with Image.open(io.BytesIO(data), formats=FORMATS) as image:
            w, h = image.size
            if min(w, h) > MAX_SHORT or max(w, h) > MAX_LONG:
                raise Refused(f"{w} × {h} px is larger than a poster")
            card = ImageOps.fit(image.convert("RGB"), (width, width * 3 // 2),
                                Image.Resampling.LANCZOS)
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError,
            ValueError) as exc:
        raise Refused(str(exc)) from exc
    out = io.BytesIO()
    card.save(out, "JPEG", quality=85, optimize=True)
    return out.getvalue()


# disk --------------------------------------------------------------------------------------
def evict(folder: Path, keep: Path | None = None) -> int:
    """Delete the least recently shown posters until the folder fits the cap; returns how
    many went. The poster just stored stays."""
    return diskcache.evict(folder, cap_bytes(), keep)


# the drawn card ----------------------------------------------------------------------------
ARTICLES = {"the", "a", "an"}


def initials(title: str) -> str:
    """Two letters of the title, leading article skipped ("The Velvet Mirror" → "VM")."""
    words = [w for w in re.split(r"\W+", title or "") if w]
    if len(words) > 1 and words[0].lower() in ARTICLES:
        words = words[1:]
    return "".join(w[0] for w in words[:2]).upper() or "?"


def _lines(draw, text: str, font, width: int) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        trial = f"{line} {word}".strip()
        if line and draw.textlength(trial, font=font) > width:
            lines.append(line)
            line = word
        else:
            line = trial
    lines = [*lines, line] if line else lines
    return lines if len(lines) <= 3 else [*lines[:2], lines[2] + " …"]


def fallback(title: str, tmdb_id: int, width: int) -> bytes:
    """A PNG card: the title's initials on a colour of the id (the same id, the same colour)."""
    hue = (tmdb_id * 47 % 360) / 360
    colour = tuple(round(c * 255) for c in colorsys.hls_to_rgb(hue, 0.32, 0.45))
    height = width * 3 // 2
    image = Image.new("RGB", (width, height), colour)
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=width // 3)
    draw.text((width // 2, height * 2 // 5), initials(title), font=font, anchor="mm",
              fill=(255, 255, 255))
    small = ImageFont.load_default(size=max(10, width // 14))
    y = height * 3 // 5
    for line in _lines(draw, title or "", small, width * 4 // 5):
        draw.text((width // 2, y), line, font=small, anchor="ma", fill=(255, 255, 255, 220))
        y += width // 11
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()
