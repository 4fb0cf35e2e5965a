"""A small file that claims huge dimensions is refused from its header, never decoded."""

import json
import struct
import subprocess
import sys
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from recommendations.rows.posters import validate_upload
from tests.core.procs import ROOT, clean_env

# Runs in a fresh interpreter so nothing an earlier test allocated hides the peak.
CHILD = r"""
import json, resource, sys
import django
django.setup()
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import setup_test_environment
from django.urls import reverse

setup_test_environment()
connection.creation.create_test_db(verbosity=0)
client = Client()
client.force_login(get_user_model().objects.create_superuser("ada", password="pw-123456"))

def post(data):
    upload = SimpleUploadedFile("p.png", data, content_type="image/png")
    answer = client.post(reverse("recommendations:cc_posters"),
                         {"kind": "fresh_out", "image": upload}, headers={"HX-Request": "true"})
    return answer.content.decode()

post(open(sys.argv[2], "rb").read())  # warm every code path on a poster that is accepted
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
body = post(open(sys.argv[1], "rb").read())
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"growth_mb": (after - before) / 1024, "body": body}))
"""


def png(width: int, height: int) -> bytes:
    """A single-colour RGB PNG, compressed row by row so the pixels never sit in memory."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return (struct.pack(">I", len(body)) + kind + body
                + struct.pack(">I", zlib.crc32(kind + body)))

    packer, row, parts = zlib.compressobj(9), b"\x00" * (1 + 3 * width), []
    for _ in range(height):
        parts.append(packer.compress(row))
    parts.append(packer.flush())
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", b"".join(parts))
            + chunk(b"IEND", b""))


def test_poster_of_12500_px_is_refused_without_decoding_it(tmp_path):
    bomb, fine = tmp_path / "bomb.png", tmp_path / "fine.png"
    bomb.write_bytes(png(12500, 12500))
    fine.write_bytes(png(600, 900))
    env = clean_env(tmp_path / "data", DJANGO_SETTINGS_MODULE="tests.settings",
                    APP_MASTER_KEY="11" * 32)

    result = subprocess.run([sys.executable, "-c", CHILD, str(bomb), str(fine)], cwd=ROOT,
                            env=env, capture_output=True, text=True, timeout=120)

    assert result.returncode == 0, result.stderr[-2000:]
    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    assert bomb.stat().st_size < 600_000  # a few hundred KB on the wire
    assert ("This image is 12500 × 12500 px; posters can be at most 4000 × 6000 px."
            in outcome["body"])
    assert outcome["growth_mb"] < 50


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
@pytest.mark.parametrize("width, height", [
    (7000, 7000),  # over twice Pillow's cap: Pillow itself refuses to open it
    (6500, 4000),  # over Pillow's cap, under twice it: the header check refuses
    (4500, 4500),  # under Pillow's cap, but wider than a poster can be
])
def test_validate_upload_names_the_size_of_an_oversized_poster(width, height):
    data = SimpleUploadedFile("p.png", png(width, height), content_type="image/png")

    with pytest.raises(ValidationError) as caught:
        validate_upload(data)

    assert caught.value.code == "size"
    assert caught.value.messages == [
        f"This image is {width} × {height} px; posters can be at most 4000 × 6000 px."]


def test_validate_upload_accepts_a_landscape_poster_within_the_cap():
    data = png(900, 600)

    assert validate_upload(SimpleUploadedFile("p.png", data)) == (data, "image/png", 900, 600)
