"""What each channel kind accepts in `config` (the structs in shared.channels), and
how secrets in it are masked. Secrets are write-only: no response ever carries one."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import msgspec

from services.api import jsonio
from services.api.problems import invalid, invalid_field
from shared import channels, secret_fields
from shared.monitors import FieldError
from shared.sealing import MASK, Keyring


def parse(kind: str, config: dict[str, Any]) -> dict[str, Any]:
    """The config to store, validated for `kind`; 422 naming the field otherwise."""
    cls = channels.CONFIGS.get(kind)
    if cls is None:
        raise invalid_field("kind", f"must be one of: {', '.join(channels.KINDS)}")
    typed = jsonio.convert(config, cls, "config")
    found = channels.problems(typed)
    if found:
        raise invalid([FieldError(f"config.{name}", reason) for name, reason in found])
    return msgspec.to_builtins(typed)


def sealed(kind: str, config: dict[str, Any], keyring: Keyring) -> dict[str, Any]:
    """The config to store: every secret sealed (see shared.sealing)."""
    return secret_fields.map_channel(kind, config, lambda _, value: keyring.seal(value))


def masked(kind: str, config: dict[str, Any], keyring: Keyring) -> dict[str, Any]:
    secret = channels.SECRET_FIELDS.get(kind, frozenset())

    def shown(name: str, value: str) -> str:
        plain = keyring.open_or_mask(value)
        if name in secret or name.startswith("headers."):
            return _mask(plain)
        # A URL that carries a credential only in its query or user part stays readable.
        return secret_fields.masked_url(plain, MASK)

    return secret_fields.map_channel(kind, config, shown)


def _mask(value: Any) -> str:
    """A secret URL keeps its scheme and host, so people can tell channels apart."""
    if isinstance(value, str) and channels.url_problem(value) is None:
        parts = urlsplit(value)
        return f"{parts.scheme}://{parts.netloc.rpartition('@')[2]}/{MASK}"
    return MASK
