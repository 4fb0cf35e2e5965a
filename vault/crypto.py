"""AES-256-GCM for Vault secrets.

The key comes from APP_MASTER_KEY (64 hex characters or base64 of 32 bytes), else the file named
by APP_MASTER_KEY_FILE (settings already reads it into APP_MASTER_KEY), else a key file
generated once in APP_DATA_DIR (mode 0600, never overwritten).

A token is `v1.<key id>.<base64url(nonce || ciphertext+tag)>`. The key id (a short hash of the
key) lets a wrong key be told apart from tampering; the associated data `<service>.<field>`
binds each secret to its place, so a ciphertext copied to another field does not decrypt.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
import re
import secrets
from functools import lru_cache
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from immaculaterr.config import write_once

VERSION = "v1"
KEY_FILE_NAME = "master_key"
_HEX = re.compile(r"[0-9a-fA-F]{64}")


class DecryptError(Exception):
    """A secret cannot be decrypted: another key, or a damaged/moved ciphertext."""


def parse_key(raw: str, source: str) -> bytes:
    """32 key bytes from hex or base64 text; `source` names where it came from."""
    text = raw.strip()
    if _HEX.fullmatch(text):
        return bytes.fromhex(text)
    try:
        key = base64.b64decode(text, validate=True) if text else b""
    except (binascii.Error, ValueError):
        key = b""
    if len(key) != 32:
        try:
            key = base64.urlsafe_b64decode(text) if text else b""
        except (binascii.Error, ValueError):
            key = b""
    if len(key) != 32:
        raise ImproperlyConfigured(
            f"{source} must be 64 hex characters or the base64 of 32 bytes "
            f"(generate one with: python -c \"import secrets; print(secrets.token_hex(32))\").")
    return key


def key_id(key: bytes) -> str:
    return hashlib.sha256(b"immaculaterr-vault-key:" + key).hexdigest()[:8]


def generated_key_path() -> Path:
    return Path(settings.DATA_DIR) / KEY_FILE_NAME


def read_key_file(path: Path, source: str) -> bytes:
    try:
        raw = path.read_text()
    except OSError as exc:
        raise ImproperlyConfigured(f"{source} ({path}) cannot be read: {exc.strerror}.") from None
    return parse_key(raw, f"{source} ({path})")


def source_name() -> str:
    if settings.APP_MASTER_KEY_FILE:
        return f"APP_MASTER_KEY_FILE ({settings.APP_MASTER_KEY_FILE})"
    if settings.APP_MASTER_KEY:
        return "APP_MASTER_KEY"
    return f"the generated key file {generated_key_path()}"


@lru_cache(maxsize=1)
def master_key() -> bytes:
    """The key in use; raises ImproperlyConfigured (one sentence) when it is malformed."""
    if settings.APP_MASTER_KEY:
        return parse_key(settings.APP_MASTER_KEY, source_name())
    path = generated_key_path()
    write_once(path, secrets.token_hex(32) + "\n")
    return read_key_file(path, "The key file in APP_DATA_DIR")


def reset() -> None:
    """Forget the cached key (settings changed, or a rotation)."""
    master_key.cache_clear()


def _aad(service: str, field: str) -> bytes:
    return f"immaculaterr.{service}.{field}".encode()


def encrypt(plaintext: str, service: str, field: str, key: bytes | None = None) -> str:
    key = key or master_key()
    nonce = os.urandom(12)
    sealed = AESGCM(key).encrypt(nonce, plaintext.encode(), _aad(service, field))
    body = base64.urlsafe_b64encode(nonce + sealed).decode().rstrip("=")
    return f"{VERSION}.{key_id(key)}.{body}"


def token_key_id(token: str) -> str | None:
    parts = token.split(".")
    return parts[1] if len(parts) == 3 and parts[0] == VERSION else None


def decrypt(token: str, service: str, field: str, key: bytes | None = None) -> str:
    key = key or master_key()
    parts = token.split(".")
    if len(parts) != 3 or parts[0] != VERSION:
        raise DecryptError(f"{service}.{field}: unknown secret format")
    if parts[1] != key_id(key):
        raise DecryptError(f"{service}.{field}: encrypted under another key ({parts[1]})")
    try:
        blob = base64.urlsafe_b64decode(parts[2] + "=" * (-len(parts[2]) % 4))
        return AESGCM(key).decrypt(blob[:12], blob[12:], _aad(service, field)).decode()
    except (InvalidTag, ValueError, binascii.Error) as exc:
        raise DecryptError(f"{service}.{field}: damaged or moved ciphertext") from exc


def check_configuration() -> None:
    """Called at start-up: a malformed key stops the app with a sentence naming its source."""
    reset()
    master_key()
