"""Opaque pagination cursors: the sort key of the last item, as base64url JSON.

Clients must treat them as opaque; decoding is typed, so a tampered cursor is a
422 rather than a confusing query."""

from __future__ import annotations

import base64
import binascii
from datetime import datetime
from typing import Any, TypeVar

import msgspec

from services.api.problems import invalid_field
from shared.bounds import EARLIEST_YEAR, LATEST_YEAR

# Stream sequences and the like: JetStream's are unsigned 64-bit, and 0 means "none".
_MAX_INT = 2**63 - 1

T = TypeVar("T")


def encode(*key: Any) -> str:
    return base64.urlsafe_b64encode(msgspec.json.encode(key)).decode().rstrip("=")


def decode(token: str | None, type_: type[T]) -> T | None:
    if not token:
        return None
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        key = msgspec.json.decode(raw, type=type_)
    except (binascii.Error, ValueError, msgspec.DecodeError):
        key = None
    # Typed is not enough: [-5], 10^20 or year 1 decode fine and then break the query.
    if key is None or not all(_in_range(part) for part in key):
        raise invalid_field("cursor", "is not a cursor this API returned")
    return key


def _in_range(part: Any) -> bool:
    if isinstance(part, bool):
        return True
    if isinstance(part, int):
        return 1 <= part <= _MAX_INT
    if isinstance(part, datetime):
        return EARLIEST_YEAR <= part.year <= LATEST_YEAR
    return True
