"""Query and path parameters: parsed strictly, with a 422 naming the parameter
(or a 404 for ids in the path, which name a resource that cannot exist)."""

from __future__ import annotations

import uuid
from collections.abc import Collection
from datetime import UTC, datetime
from typing import Annotated

import msgspec
from aiohttp import web

from services.api.problems import invalid_field, not_found
from services.api.routing import Param
from shared import bounds

DEFAULT_LIMIT = 50
MAX_LIMIT = 500

# The paging parameters every list shares, as the OpenAPI document shows them.
LIMIT = Param(
    "limit",
    Annotated[int, msgspec.Meta(ge=1, le=MAX_LIMIT)],
    f"Page size (default {DEFAULT_LIMIT}).",
)
CURSOR = Param("cursor", str, "`next_cursor` of the previous page.")


def path_id(request: web.Request, what: str, name: str = "id") -> uuid.UUID:
    try:
        return uuid.UUID(request.match_info[name])
    except ValueError:
        raise not_found(what) from None


def one(request: web.Request, name: str) -> str | None:
    """The value of a query parameter given at most once; a repeated one is a 422, as
    which of them counts would otherwise be a guess."""
    values = request.query.getall(name, ())
    if len(values) > 1:
        raise invalid_field(name, "must be given at most once")
    return values[0] if values else None


def typed(request: web.Request, name: str) -> str | None:
    """A parameter of a type that has no empty value (a number, an id, a time, a choice):
    `?name=` is a 422 rather than read as absent."""
    raw = one(request, name)
    if raw == "":
        raise invalid_field(name, "must not be empty")
    return raw


def flag(request: web.Request, name: str) -> bool:
    raw = typed(request, name) or "false"
    if raw not in ("true", "false"):
        raise invalid_field(name, "must be true or false")
    return raw == "true"


def limit(request: web.Request, default: int = DEFAULT_LIMIT, most: int = MAX_LIMIT) -> int:
    raw = typed(request, "limit")
    if raw is None:
        return default
    # isdigit() alone takes `²`, and int() of 5,000 digits is slow before it is refused.
    if not (raw.isascii() and raw.isdigit() and len(raw) <= 6 and 1 <= int(raw) <= most):
        raise invalid_field("limit", f"must be an integer from 1 to {most}")
    return int(raw)


def choice(request: web.Request, name: str, allowed: Collection[str]) -> str | None:
    raw = typed(request, name)
    if raw is None:
        return None
    if raw not in allowed:
        raise invalid_field(name, f"must be one of: {', '.join(allowed)}")
    return raw


def text(request: web.Request, name: str) -> str | None:
    raw = one(request, name) or None
    if raw is not None and bounds.has_controls(raw):
        raise invalid_field(name, bounds.CONTROLS_MESSAGE)
    return raw


def uuid_query(request: web.Request, name: str) -> uuid.UUID | None:
    raw = typed(request, name)
    if raw is None:
        return None
    try:
        return uuid.UUID(raw)
    except ValueError:
        raise invalid_field(name, "must be a UUID") from None


def timestamp(request: web.Request, name: str) -> datetime | None:
    """An RFC 3339 time; one without an offset is taken as UTC."""
    raw = typed(request, name)
    if raw is None:
        return None
    try:
        value = msgspec.json.decode(msgspec.json.encode(raw), type=datetime)
    except msgspec.ValidationError:
        raise invalid_field(name, "must be an RFC 3339 time, e.g. 2024-05-01T12:00:00Z") from None
    if not bounds.EARLIEST_YEAR <= value.year <= bounds.LATEST_YEAR:
        years = f"{bounds.EARLIEST_YEAR} to {bounds.LATEST_YEAR}"
        raise invalid_field(name, f"must be a time in the years {years}")
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
