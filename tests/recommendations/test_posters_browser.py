"""Command Center → Posters in a real browser: an upload changes the preview in place, a file
that is too big or not an image is refused with a sentence; no console (CSP) errors."""

import io

import pytest
from PIL import Image

from recommendations.models import RowPoster
from tests.browser import browser_page, sign_in

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

CARD = "#poster-change_of_taste"
GREEN = (0, 200, 0)


def png(colour, size=(600, 900)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "PNG")
    return out.getvalue()


def preview_pixel(page) -> list[int]:
    """The colour the preview shows a third of the way down (above the name band)."""
    return page.eval_on_selector(f"{CARD} img", """async img => {
        await img.decode();
        const c = document.createElement('canvas');
        c.width = img.naturalWidth; c.height = img.naturalHeight;
        const g = c.getContext('2d'); g.drawImage(img, 0, 0);
        return Array.from(g.getImageData(c.width / 2, c.height / 3, 1, 1).data.slice(0, 3));
    }""")


def swapped(page, action) -> None:
    """Do `action` and wait until htmx has replaced the posters fragment."""
    page.eval_on_selector("#row-posters", "el => { el.dataset.stale = '1'; }")
    action()
    page.wait_for_selector("#row-posters:not([data-stale])")


def upload(page, name: str, mime: str, data: bytes, stamp: bool = True) -> None:
    page.set_input_files(f"{CARD} input[type=file]",
                         files=[{"name": name, "mimeType": mime, "buffer": data}])
    page.set_checked(f"{CARD} input[name=stamp_name]", stamp)
    swapped(page, lambda: page.click(f"{CARD} button[type=submit]:has-text('Upload')"))


def test_browser_posters_upload_changes_preview_and_bad_files_are_refused(
        live_server, chromium_path, admin_user):
    with browser_page(chromium_path) as page:
        sign_in(page, live_server.url)
        page.goto(f"{live_server.url}/command-center/posters")
        marker = page.evaluate("() => (window.postersPage = 'same page')")
        ours = preview_pixel(page)

        upload(page, "big.png", "image/png", b"\x89PNG" + b"\0" * (5 * 1024 * 1024 + 1))
        too_big = page.locator(f"{CARD} em.error").inner_text()
        upload(page, "notes.png", "image/png", b"just some text, not a picture")
        not_image = page.locator(f"{CARD} em.error").inner_text()
        saved_after_errors = RowPoster.objects.count()

        upload(page, "green.png", "image/png", png(GREEN), stamp=False)
        status = page.locator("#row-posters [role=status]").inner_text()
        uploaded = preview_pixel(page)
        caption = page.locator(f"{CARD} p.muted").inner_text()
        kept_page = page.evaluate("() => window.postersPage")

        swapped(page, lambda: page.click(f"{CARD} button:has-text('Use our artwork')"))
        reset = preview_pixel(page)

        assert too_big == "The poster is larger than 5 MB."
        assert not_image == "That file is not a readable PNG, JPEG or WebP image."
        assert saved_after_errors == 0
        assert status == "Saved the Change of Taste poster; rows get it at their next sync."
        assert max(abs(a - b) for a, b in zip(uploaded, GREEN, strict=True)) <= 8
        assert ours != uploaded and reset == ours
        assert caption == "Your upload (600×900)" and kept_page == marker
        assert RowPoster.objects.count() == 0
        assert page.errors == []
