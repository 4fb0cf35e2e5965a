"""Row posters: drawn artwork, upload validation, and Command Center → Posters."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from recommendations.models import RowPoster
from recommendations.rows.posters import render_poster, stamp_name, validate_upload

URL = reverse("recommendations:cc_posters")


def image_bytes(fmt="PNG", size=(600, 900), colour=(10, 120, 200)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, fmt)
    return out.getvalue()


def upload(data: bytes, name="poster.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


# drawing ---------------------------------------------------------------------------------------
def test_render_poster_is_a_2_by_3_jpeg_and_the_same_every_time():
    data = render_poster("immaculate_taste", "Bea")

    with Image.open(io.BytesIO(data)) as image:
        assert (image.format, image.size) == ("JPEG", (600, 900))
    assert render_poster("immaculate_taste", "Bea") == data


def test_render_poster_differs_by_viewer_name_and_by_kind():
    posters = {render_poster(kind, name) for kind in ("change_of_taste", "fresh_out")
               for name in ("Ava", "Bea")}

    assert len(posters) == 4


def test_render_poster_unknown_kind_is_refused():
    with pytest.raises(ValueError):
        render_poster("most_popular", "Ava")


def test_stamp_name_fits_an_upload_to_the_poster_shape():
    stamped = stamp_name(image_bytes(size=(1000, 1000)), "Cy")

    with Image.open(io.BytesIO(stamped)) as image:
        assert image.size == (600, 900)


# validation ------------------------------------------------------------------------------------
@pytest.mark.parametrize("fmt,content_type", [("PNG", "image/png"), ("JPEG", "image/jpeg"),
                                              ("WEBP", "image/webp")])
def test_validate_upload_accepts_png_jpeg_and_webp(fmt, content_type):
    data = image_bytes(fmt)

    assert validate_upload(upload(data)) == (data, content_type, 600, 900)


@pytest.mark.parametrize("data,code", [
    (b"not an image at all", "unreadable"),
    (image_bytes("PNG")[:200], "unreadable"),  # truncated
    (image_bytes("GIF"), "format"),
    (image_bytes("PNG", size=(100, 150)), "size"),
])
def test_validate_upload_refuses_bad_files(data, code):
    with pytest.raises(ValidationError) as caught:
        validate_upload(upload(data))

    assert caught.value.code == code


def test_validate_upload_refuses_more_than_5_mb():
    big = upload(b"\x89PNG" + b"0" * (5 * 1024 * 1024))

    with pytest.raises(ValidationError) as caught:
        validate_upload(big)

    assert caught.value.code == "too_large"


# Command Center section ------------------------------------------------------------------------
def test_cc_posters_full_page_lists_every_row_kind(admin_client):
    response = admin_client.get(URL)

    body = response.content.decode()
    assert "<html" in body and body.count('class="poster-card"') == 4
    assert "Fresh Out Of The Oven" in body and 'enctype="multipart/form-data"' in body


def test_cc_posters_htmx_gets_only_the_fragment(admin_client):
    response = admin_client.get(URL, headers={"HX-Request": "true"})

    body = response.content.decode()
    assert "<html" not in body and 'id="row-posters"' in body


def test_cc_posters_upload_saves_the_poster_for_that_kind(admin_client):
    data = image_bytes("WEBP")

    response = admin_client.post(URL, {"kind": "change_of_taste", "image": upload(data, "a.webp"),
                                       "stamp_name": "on"}, headers={"HX-Request": "true"})

    poster = RowPoster.objects.get()
    assert (poster.kind, bytes(poster.image), poster.content_type) == (
        "change_of_taste", data, "image/webp")
    assert (poster.width, poster.height, poster.stamp_name) == (600, 900, True)
    assert "Saved the Change of Taste poster" in response.content.decode()


def test_cc_posters_preview_url_changes_with_each_upload(admin_client):
    def preview_src(response) -> str:
        html = response.content.decode()
        return html.split('id="poster-change_of_taste"', 1)[1].split('src="', 1)[1].split('"')[0]

    ours = preview_src(admin_client.get(URL))
    first = preview_src(admin_client.post(URL, {"kind": "change_of_taste",
                                                "image": upload(image_bytes())}))
    second = preview_src(admin_client.post(URL, {"kind": "change_of_taste",
                                                 "image": upload(image_bytes(colour=(1, 2, 3)))}))

    assert len({ours, first, second}) == 3  # the browser fetches each new poster
    assert ours.endswith("/change_of_taste.img?v=ours")


def test_cc_posters_bad_upload_shows_the_error_and_saves_nothing(admin_client):
    response = admin_client.post(URL, {"kind": "fresh_out", "image": upload(b"GIF89a nope")},
                                 headers={"HX-Request": "true"})

    assert RowPoster.objects.count() == 0
    assert response.status_code == 200
    assert "not a readable PNG, JPEG or WebP image" in response.content.decode()


def test_poster_image_serves_the_upload_when_there_is_one(admin_client):
    data = image_bytes("PNG")
    RowPoster.objects.create(kind="fresh_out", image=data, content_type="image/png",
                             sha256="x", width=600, height=900, stamp_name=False)

    custom = admin_client.get(reverse("recommendations:poster_image", args=["fresh_out"]))
    drawn = admin_client.get(reverse("recommendations:poster_image", args=["change_of_taste"]))

    assert (custom["Content-Type"], custom.content) == ("image/png", data)
    assert drawn["Content-Type"] == "image/jpeg"
    assert drawn.content == render_poster("change_of_taste", "Viewer")


def test_poster_reset_goes_back_to_our_artwork(admin_client):
    RowPoster.objects.create(kind="fresh_out", image=image_bytes(), content_type="image/png",
                             sha256="x", width=600, height=900)

    response = admin_client.post(reverse("recommendations:poster_reset", args=["fresh_out"]))

    assert RowPoster.objects.count() == 0
    assert response.status_code == 302 and response["Location"] == URL


def test_cc_posters_anonymous_is_sent_to_login(client, admin_user):
    data = image_bytes()

    page = client.get(URL)
    post = client.post(URL, {"kind": "fresh_out", "image": upload(data)})

    assert page.status_code == 302 and page["Location"].startswith(reverse("login"))
    assert post.status_code == 302 and RowPoster.objects.count() == 0
