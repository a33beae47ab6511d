"""Secrets at rest and on the bus: AES-256-GCM with a key from the environment.

A sealed value is a string `upmon:enc:v1:<key id>:<base64url(nonce + ciphertext)>`,
so it fits wherever the plaintext did (a JSON string in `monitors.doc`, in
`channels.config`, in an event) and names the key that sealed it. The key id is
a digest of the key, so a keyring (the current key plus old ones) finds the
right key without trying each. Only the api, the executor and the notifier hold
the key; the scheduler, the recorder, the streams and the outbox see ciphertext.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from shared.config import ConfigError, Settings

PREFIX = "upmon:enc:v1:"
KEY_BYTES = 32
NONCE_BYTES = 12
# Shown instead of a secret in every read; sent back in a PATCH it keeps the stored one.
MASK = "********"


class SealError(ValueError):
    """A sealed value this keyring cannot open (unknown key, or tampered with)."""


def generate_key() -> str:
    return base64.urlsafe_b64encode(os.urandom(KEY_BYTES)).decode().rstrip("=")


def _decode_key(text: str, variable: str) -> bytes:
    try:
        raw = base64.urlsafe_b64decode(text.strip() + "=" * (-len(text.strip()) % 4))
    except (binascii.Error, ValueError):
        raw = b""
    if len(raw) != KEY_BYTES:
        raise ConfigError(
            f"{variable}: must be {KEY_BYTES} random bytes in base64url"
            " (generate one with `upmon secrets generate-key`)"
        )
    return raw


def key_id(raw: bytes) -> str:
    return hashlib.sha256(b"upmon-key-id:" + raw).hexdigest()[:8]


def is_sealed(value: object) -> bool:
    return isinstance(value, str) and value.startswith(PREFIX)


@dataclass(frozen=True)
class Keyring:
    current: bytes
    old: tuple[bytes, ...] = ()

    @classmethod
    def from_settings(cls, settings: Settings) -> Keyring:
        if not settings.secret_key:
            raise ConfigError(
                "UPMON_SECRET_KEY: is required to encrypt secrets"
                " (generate one with `upmon secrets generate-key`)"
            )
        current = _decode_key(settings.secret_key, "UPMON_SECRET_KEY")
        old = tuple(
            _decode_key(k, "UPMON_SECRET_KEY_OLD")
            for k in settings.secret_key_old.split(",")
            if k.strip()
        )
        return cls(current, old)

    @property
    def current_id(self) -> str:
        return key_id(self.current)

    def _key(self, kid: str) -> bytes:
        for raw in (self.current, *self.old):
            if key_id(raw) == kid:
                return raw
        raise SealError(f"sealed with key {kid}, which is neither UPMON_SECRET_KEY nor an old key")

    def seal(self, plaintext: str) -> str:
        nonce = os.urandom(NONCE_BYTES)
        body = AESGCM(self.current).encrypt(nonce, plaintext.encode(), PREFIX.encode())
        token = base64.urlsafe_b64encode(nonce + body).decode().rstrip("=")
        return f"{PREFIX}{self.current_id}:{token}"

    def open(self, value: str) -> str:
        """The plaintext of a sealed value; a value that is not sealed is returned as it
        is (rows and messages written before encryption existed)."""
        if not is_sealed(value):
            return value
        kid, _, token = value[len(PREFIX) :].partition(":")
        try:
            blob = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
            plain = AESGCM(self._key(kid)).decrypt(
                blob[:NONCE_BYTES], blob[NONCE_BYTES:], PREFIX.encode()
            )
        except (binascii.Error, ValueError, InvalidTag) as exc:
            if isinstance(exc, SealError):
                raise
            raise SealError(f"a value sealed with key {kid} does not decrypt") from None
        return plain.decode()

    def open_or_mask(self, value: str) -> str:
        """For display: a value this keyring cannot open shows as the mask, never a 500."""
        try:
            return self.open(value)
        except SealError:
            return MASK

    def reseal(self, value: str) -> str:
        """Sealed with the current key: plaintext is sealed, old keys' values re-sealed."""
        if is_sealed(value) and value[len(PREFIX) :].startswith(self.current_id + ":"):
            return value
        return self.seal(self.open(value))
