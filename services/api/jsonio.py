"""JSON in and out: request bodies decoded straight into msgspec structs, and
responses encoded by msgspec."""

from __future__ import annotations

import functools
from typing import Any, TypeVar

import msgspec
from aiohttp import web

from services.api.problems import ApiError, field_error, invalid
from shared.monitors import FieldError

T = TypeVar("T")

_encoder = msgspec.json.Encoder()


@functools.cache
def _decoder(type_: Any) -> msgspec.json.Decoder:
    return msgspec.json.Decoder(type_)


def decode(raw: bytes, type_: type[T], prefix: str = "") -> T:
    try:
        return _decoder(type_).decode(raw)
    except msgspec.ValidationError as exc:
        raise invalid([field_error(exc, prefix)]) from None
    except msgspec.DecodeError as exc:
        raise ApiError(
            400,
            "Malformed JSON",
            f"the request body is not valid JSON: {exc}",
            [FieldError("body", str(exc))],
        ) from None


async def body(request: web.Request, type_: type[T]) -> T:
    """Decode the request body; the content type is not checked, JSON is assumed."""
    return decode(await request.read(), type_)


def convert(value: Any, type_: type[T], prefix: str) -> T:
    """Validate an already-decoded value (e.g. a free-form `config`) into a struct."""
    try:
        return msgspec.convert(value, type_)
    except msgspec.ValidationError as exc:
        raise invalid([field_error(exc, prefix)]) from None


def reply(value: Any, status: int = 200) -> web.Response:
    return web.Response(body=_encoder.encode(value), status=status, content_type="application/json")


def no_content() -> web.Response:
    return web.Response(status=204)
