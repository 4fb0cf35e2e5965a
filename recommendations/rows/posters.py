"""Row posters: original artwork drawn per row kind with the viewer's name, or the admin's upload.

Drawing is deterministic (same kind and name → same bytes), so the sync can tell from a hash
whether Plex already shows this poster and skip the upload. Non-admin rows all sit on Friends'
Home, where friends see each other's rows: the name on the poster tells them apart, so an
uploaded poster gets the same name band unless the admin turns that off.
"""

from __future__ import annotations

import io

from django.core.exceptions import ValidationError
from PIL import Image, ImageDraw, ImageFont, ImageOps, UnidentifiedImageError

from recommendations.models import RowPoster
from recommendations.types import KINDS

WIDTH, HEIGHT = 600, 900
MAX_UPLOAD = 5 * 1024 * 1024
FORMATS = {"PNG": "image/png", "JPEG": "image/jpeg", "WEBP": "image/webp"}
MIN_SIDE = 200
# Posters are 2:3; 4000 × 6000 is more than Plex ever shows and decodes to about 72 MB in RGB.
MAX_SHORT, MAX_LONG = 4000, 6000
# Pillow refuses (DecompressionBombError) anything over twice this, whoever opens the image.
Image.MAX_IMAGE_PIXELS = MAX_SHORT * MAX_LONG

LABELS = {
    "recently_watched": "Based on your recently watched",
    "change_of_taste": "Change of Taste",
    "immaculate_taste": "Inspired by your Immaculate Taste",
    "fresh_out": "Fresh Out Of The Oven",
}
# (top colour, bottom colour, accent)
PALETTES = {
    "recently_watched": ((244, 162, 54), (120, 38, 24), (255, 236, 200)),
    "change_of_taste": ((28, 160, 150), (58, 24, 110), (210, 255, 246)),
    "immaculate_taste": ((16, 24, 64), (120, 90, 20), (255, 214, 102)),
    "fresh_out": ((232, 76, 40), (90, 18, 18), (255, 224, 180)),
}


def render_poster(kind: str, viewer_name: str) -> bytes:
    """A 600×900 JPEG for the row kind, carrying the viewer's name."""
    if kind not in KINDS:
        raise ValueError(f"unknown row kind {kind!r}")
    top, bottom, accent = PALETTES[kind]
    image = _gradient(top, bottom)
    draw = ImageDraw.Draw(image, "RGBA")
    MOTIFS[kind](draw, accent)
    _title(draw, LABELS[kind], accent)
    _name_band(image, viewer_name)
    return _jpeg(image)


def stamp_name(data: bytes, viewer_name: str) -> bytes:
    """An uploaded poster fitted to 2:3 with the viewer's name band, as a JPEG."""
    with Image.open(io.BytesIO(data)) as source:
        image = ImageOps.fit(source.convert("RGB"), (WIDTH, HEIGHT), Image.Resampling.LANCZOS)
    _name_band(image, viewer_name)
    return _jpeg(image)


def poster_for(kind: str, viewer_name: str) -> bytes:
    """What the row should show: the admin's upload for this kind if any, else our artwork."""
    custom = RowPoster.objects.filter(kind=kind).first()
    if custom is None:
        return render_poster(kind, viewer_name)
    data = bytes(custom.image)
    return stamp_name(data, viewer_name) if custom.stamp_name else data


def validate_upload(upload) -> tuple[bytes, str, int, int]:
    """(bytes, content type, width, height) of an uploaded poster, or a ValidationError.

    The size comes from the header, and only a poster within the cap is ever decoded: a few
    hundred KB of PNG can claim 12500 × 12500 px, which is 470 MB once decoded."""
    if upload.size > MAX_UPLOAD:
        raise ValidationError("The poster is larger than 5 MB.", code="too_large")
    data = upload.read(MAX_UPLOAD + 1)
    if len(data) > MAX_UPLOAD:
        raise ValidationError("The poster is larger than 5 MB.", code="too_large")
    fmt, (width, height) = _header(data)
    _check_size(width, height)
    try:
        with Image.open(io.BytesIO(data), formats=list(FORMATS)) as probe:
            probe.verify()
        with Image.open(io.BytesIO(data), formats=list(FORMATS)) as image:
            image.load()  # verify() skips the pixels; a truncated file fails here
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise _unreadable() from exc
    return data, FORMATS[fmt], width, height


def _header(data: bytes) -> tuple[str, tuple[int, int]]:
    """Format and size as the file's header states them; no pixel is decoded."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            fmt, size = image.format, image.size
    except Image.DecompressionBombError as exc:
        raise _too_big(_claimed_size(data)) from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise _unreadable() from exc
    if fmt not in FORMATS:
        raise ValidationError("Posters must be PNG, JPEG or WebP.", code="format")
    return fmt, size


def _claimed_size(data: bytes) -> tuple[int, int] | None:
    """The size a file Pillow refused to open claims, read by the format's header parser alone
    (Image.open refuses before handing the size out), only to name it in the message."""
    Image.init()
    for fmt in FORMATS:
        factory, accept = Image.OPEN[fmt]
        if accept is None or accept(data[:16]) is True:
            try:
                with factory(io.BytesIO(data)) as image:
                    return image.size
            except (OSError, SyntaxError, ValueError):
                return None
    return None


def _check_size(width: int, height: int) -> None:
    if min(width, height) < MIN_SIDE:
        raise ValidationError(
            f"This image is {width} × {height} px; posters must be at least {MIN_SIDE} px on "
            "each side.", code="size")
    if min(width, height) > MAX_SHORT or max(width, height) > MAX_LONG:
        raise _too_big((width, height))


def _too_big(size: tuple[int, int] | None) -> ValidationError:
    limit = f"posters can be at most {MAX_SHORT} × {MAX_LONG} px."
    if size is None:
        return ValidationError(f"This image is too large; {limit}", code="size")
    return ValidationError(f"This image is {size[0]} × {size[1]} px; {limit}", code="size")


def _unreadable() -> ValidationError:
    return ValidationError("That file is not a readable PNG, JPEG or WebP image.",
                           code="unreadable")


# drawing -------------------------------------------------------------------------------------
def _gradient(top, bottom) -> Image.Image:
    strip = Image.new("RGB", (1, HEIGHT))
    for y in range(HEIGHT):
        t = y / (HEIGHT - 1)
        strip.putpixel((0, y), tuple(round(a + (b - a) * t) for a, b in zip(top, bottom,
                                                                             strict=True)))
    return strip.resize((WIDTH, HEIGHT))


def _font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.load_default(size=size)


def _title(draw: ImageDraw.ImageDraw, text: str, colour) -> None:
    font = _font(58)
    lines, line = [], ""
    for word in text.split():
        trial = f"{line} {word}".strip()
        if draw.textlength(trial, font=font) > WIDTH - 90 and line:
            lines.append(line)
            line = word
        else:
            line = trial
    lines.append(line)
    y = 540 - 35 * len(lines)
    for line in lines:
        draw.text((WIDTH // 2, y), line, font=font, fill=colour, anchor="ma",
                  stroke_width=2, stroke_fill=(0, 0, 0, 140))
        y += 70


def _name_band(image: Image.Image, name: str) -> None:
    draw = ImageDraw.Draw(image, "RGBA")
    draw.rectangle((0, HEIGHT - 150, WIDTH, HEIGHT), fill=(0, 0, 0, 150))
    font, text = _font(50), (name or "Everyone").strip()
    while draw.textlength(text, font=font) > WIDTH - 60 and len(text) > 4:
        text = text[:-2].rstrip() + "…"
    draw.text((WIDTH // 2, HEIGHT - 128), "for", font=_font(26), fill=(255, 255, 255, 190),
              anchor="ma")
    draw.text((WIDTH // 2, HEIGHT - 92), text, font=font, fill=(255, 255, 255), anchor="ma")


def _play(draw, colour) -> None:  # recently watched: a play button with a trail
    for n in range(4):
        draw.ellipse((130 - n * 30, 70 - n * 30, 470 + n * 30, 410 + n * 30),
                     outline=(*colour, 70 - n * 15), width=6)
    draw.polygon([(250, 170), (250, 310), (370, 240)], fill=(*colour, 230))


def _swap(draw, colour) -> None:  # change of taste: two arrows turning away from each other
    draw.arc((110, 60, 490, 420), 200, 340, fill=(*colour, 220), width=16)
    draw.arc((110, 60, 490, 420), 20, 160, fill=(*colour, 220), width=16)
    draw.polygon([(452, 120), (500, 160), (440, 180)], fill=(*colour, 230))
    draw.polygon([(148, 360), (100, 320), (160, 300)], fill=(*colour, 230))


def _star(draw, colour) -> None:  # immaculate taste: a faceted gem
    cx, cy = WIDTH // 2, 230
    draw.polygon([(cx - 150, cy - 40), (cx - 80, cy - 120), (cx + 80, cy - 120),
                  (cx + 150, cy - 40), (cx, cy + 150)], fill=(*colour, 200))
    draw.line([(cx - 150, cy - 40), (cx + 150, cy - 40)], fill=(0, 0, 0, 90), width=4)
    for x in (-80, 80):
        draw.line([(cx + x, cy - 120), (cx, cy + 150)], fill=(0, 0, 0, 70), width=3)


def _steam(draw, colour) -> None:  # fresh out of the oven: a tray with rising steam
    draw.rounded_rectangle((120, 300, 480, 350), radius=18, fill=(*colour, 220))
    for n, x in enumerate((200, 300, 400)):
        for k in range(3):
            y = 90 + k * 60 + n * 8
            draw.arc((x - 30, y, x + 30, y + 60), 90 if k % 2 else 270,
                     270 if k % 2 else 90, fill=(*colour, 190), width=8)


MOTIFS = {"recently_watched": _play, "change_of_taste": _swap, "immaculate_taste": _star,
          "fresh_out": _steam}


def _jpeg(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.convert("RGB").save(out, "JPEG", quality=88, optimize=True)
    return out.getvalue()
