"""Opaque pagination cursors: the sort key of the last item, as base64url JSON.

Clients must treat them as opaque; decoding is typed, so a tampered cursor is a
422 rather than a confusing query."""

from __future__ import annotations

import base64
import binascii
from typing import Any, TypeVar

import msgspec

from services.api.problems import invalid_field

T = TypeVar("T")


def encode(*key: Any) -> str:
    return base64.urlsafe_b64encode(msgspec.json.encode(key)).decode().rstrip("=")


def decode(token: str | None, type_: type[T]) -> T | None:
    if not token:
        return None
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        return msgspec.json.decode(raw, type=type_)
    except (binascii.Error, ValueError, msgspec.DecodeError):
        raise invalid_field("cursor", "is not a cursor this API returned") from None
