"""JSON in and out: request bodies decoded straight into msgspec structs, and
responses encoded by msgspec."""

from __future__ import annotations

import asyncio
import functools
import re
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


# Larger bodies are decoded in a thread, so one big request cannot hold up the others.
_INLINE_BYTES = 64 * 1024
# `\u0000` not preceded by an escaping backslash: Postgres refuses NUL in text and jsonb.
_NUL_ESCAPE = re.compile(rb"(?<!\\)(?:\\\\)*\\u0000")


def decode(raw: bytes, type_: type[T], prefix: str = "") -> T:
    if _NUL_ESCAPE.search(raw):
        raise invalid([FieldError(prefix or "body", "must not contain NUL (\\u0000)")])
    try:
        return _decoder(type_).decode(raw)
    except msgspec.ValidationError as exc:
        raise invalid([field_error(exc, prefix)]) from None
    except (msgspec.DecodeError, UnicodeDecodeError) as exc:
        raise _malformed(f"{exc}") from None
    except RecursionError:
        raise _malformed("nested too deeply") from None


def _malformed(reason: str) -> ApiError:
    return ApiError(
        400,
        "Malformed JSON",
        f"the request body is not valid JSON: {reason}",
        [FieldError("body", reason)],
    )


async def body(request: web.Request, type_: type[T]) -> T:
    """Decode the request body; the content type is not checked, JSON is assumed."""
    raw = await request.read()
    if len(raw) <= _INLINE_BYTES:
        return decode(raw, type_)
    return await asyncio.to_thread(decode, raw, type_)


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
