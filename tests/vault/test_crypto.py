import base64
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from vault import crypto

KEY = bytes(range(32))
OTHER = bytes(range(1, 33))
ROOT = Path(__file__).resolve().parents[2]


def test_encrypt_roundtrip_returns_plaintext():
    token = crypto.encrypt("s3cret-token", "plex", "token", key=KEY)

    assert crypto.decrypt(token, "plex", "token", key=KEY) == "s3cret-token"


def test_encrypt_token_carries_version_and_key_id_not_plaintext():
    token = crypto.encrypt("s3cret-token", "plex", "token", key=KEY)

    version, kid, body = token.split(".")
    assert (version, kid) == ("v1", crypto.key_id(KEY))
    assert "s3cret" not in token


def test_decrypt_with_another_key_raises_decrypt_error():
    token = crypto.encrypt("abc", "tmdb", "api_key", key=KEY)

    with pytest.raises(crypto.DecryptError, match="another key"):
        crypto.decrypt(token, "tmdb", "api_key", key=OTHER)


def test_decrypt_ciphertext_moved_to_another_field_is_refused():
    token = crypto.encrypt("abc", "radarr", "api_key", key=KEY)

    with pytest.raises(crypto.DecryptError, match="damaged or moved"):
        crypto.decrypt(token, "sonarr", "api_key", key=KEY)


@pytest.mark.parametrize("raw", ["ab" * 32, base64.b64encode(KEY).decode(),
                                 base64.urlsafe_b64encode(KEY).decode() + "\n"])
def test_parse_key_accepts_hex_and_base64(raw):
    assert len(crypto.parse_key(raw, "APP_MASTER_KEY")) == 32


@pytest.mark.parametrize("raw", ["short", "zz" * 32, base64.b64encode(b"x" * 16).decode()])
def test_parse_key_malformed_names_the_variable(raw):
    with pytest.raises(ImproperlyConfigured, match=r"^APP_MASTER_KEY must be 64 hex"):
        crypto.parse_key(raw, "APP_MASTER_KEY")


def test_master_key_generated_once_with_mode_0600(settings, tmp_path):
    settings.APP_MASTER_KEY, settings.APP_MASTER_KEY_FILE = "", ""
    settings.DATA_DIR = tmp_path
    first = crypto.master_key()
    crypto.reset()

    second = crypto.master_key()

    path = tmp_path / crypto.KEY_FILE_NAME
    assert first == second
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600


def test_master_key_existing_file_is_never_overwritten(settings, tmp_path):
    settings.APP_MASTER_KEY, settings.APP_MASTER_KEY_FILE = "", ""
    settings.DATA_DIR = tmp_path
    (tmp_path / crypto.KEY_FILE_NAME).write_text("cd" * 32)

    key = crypto.master_key()

    assert key == bytes.fromhex("cd" * 32)
    assert (tmp_path / crypto.KEY_FILE_NAME).read_text() == "cd" * 32


def test_check_configuration_malformed_key_file_names_the_variable(settings, tmp_path):
    settings.APP_MASTER_KEY, settings.APP_MASTER_KEY_FILE = "nonsense", str(tmp_path / "k")

    with pytest.raises(ImproperlyConfigured, match=r"^APP_MASTER_KEY_FILE \(.*/k\) must be"):
        crypto.check_configuration()


def test_manage_py_malformed_key_prints_one_sentence(tmp_path):
    env = {**os.environ, "APP_DATA_DIR": str(tmp_path), "APP_MASTER_KEY": "not-a-key",
           "DJANGO_SETTINGS_MODULE": "immaculaterr.settings", "PYTHONPATH": str(ROOT)}

    done = subprocess.run([sys.executable, str(ROOT / "manage.py"), "help"], env=env,
                          capture_output=True, text=True, timeout=60)

    assert done.returncode == 2
    assert done.stderr.strip().startswith("Immaculaterr cannot start: APP_MASTER_KEY must be")
    assert "Traceback" not in done.stderr


def test_master_key_file_never_visible_half_written(settings, tmp_path, monkeypatch):
    """The name appears only with the whole key in it: checked at every step of the write."""
    settings.APP_MASTER_KEY, settings.APP_MASTER_KEY_FILE = "", ""
    settings.DATA_DIR = tmp_path
    path = tmp_path / crypto.KEY_FILE_NAME
    seen = []
    real_fdopen = os.fdopen

    class Watched:
        def __init__(self, fh):
            self.fh = fh

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.fh.close()

        def write(self, text):
            seen.append(path.read_text() if path.exists() else None)
            self.fh.write(text)
            seen.append(path.read_text() if path.exists() else None)

        def __getattr__(self, name):
            return getattr(self.fh, name)

    monkeypatch.setattr(crypto.os, "fdopen", lambda fd, mode: Watched(real_fdopen(fd, mode)))

    key = crypto.master_key()

    assert seen == [None, None]
    assert crypto.parse_key(path.read_text(), "key") == key
    assert [p.name for p in tmp_path.iterdir()] == [crypto.KEY_FILE_NAME]


def test_master_key_generated_by_many_processes_at_once_is_one_key(tmp_path):
    """Web, worker and beat start together on a new install: all read the same whole key."""
    script = (
        "import os, sys, time\n"
        "from pathlib import Path\n"
        "import django\n"
        "from django.conf import settings\n"
        "settings.configure(APP_MASTER_KEY='', APP_MASTER_KEY_FILE='', DATA_DIR=sys.argv[1])\n"
        "go = float(sys.argv[2])\n"
        "while time.time() < go: pass\n"
        "from vault import crypto\n"
        "print(crypto.master_key().hex())\n")
    start = f"{__import__('time').time() + 1.5:.3f}"
    children = [subprocess.Popen([sys.executable, "-c", script, str(tmp_path), start],
                                 cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                 text=True) for _ in range(8)]
    results = [child.communicate(timeout=60) for child in children]

    assert [child.returncode for child in children] == [0] * 8, [err for _, err in results]
    keys = {out.strip() for out, _ in results}
    assert keys == {(tmp_path / crypto.KEY_FILE_NAME).read_text().strip()}
    assert [p.name for p in tmp_path.iterdir()] == [crypto.KEY_FILE_NAME]
