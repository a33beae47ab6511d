"""What each channel kind accepts in `config` (the structs in shared.channels), and
how secrets in it are masked. Secrets are write-only: no response ever carries one."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import msgspec

from services.api import jsonio
from services.api.problems import invalid, invalid_field
from shared import channels
from shared.monitors import FieldError

MASK = "********"


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


def masked(kind: str, config: dict[str, Any]) -> dict[str, Any]:
    secret = channels.SECRET_FIELDS.get(kind, frozenset())
    shown = {k: _mask(v) if k in secret and v is not None else v for k, v in config.items()}
    if isinstance(shown.get("headers"), dict):
        shown["headers"] = {
            name: MASK if channels.secret_header(name) else value
            for name, value in shown["headers"].items()
        }
    return shown


def _mask(value: Any) -> str:
    """A secret URL keeps its scheme and host, so people can tell channels apart."""
    if isinstance(value, str) and channels.url_problem(value) is None:
        parts = urlsplit(value)
        return f"{parts.scheme}://{parts.netloc.rpartition('@')[2]}/{MASK}"
    return MASK
