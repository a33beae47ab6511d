"""Dead letters: list them, send one back to where it failed, or discard it.

The DLQ stream is read by sequence with message gets, never with a durable
consumer, so looking at dead letters changes nothing. `upmon dlq` uses the same
functions."""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime

import msgspec
import nats.js.errors
from aiohttp import web
from nats.js import JetStreamContext
from nats.js.api import RawStreamMsg

from services.api import cursor, jsonio, params, state
from services.api.problems import ApiError, not_found
from services.api.routing import Route
from services.api.stream_window import Payload, decode_payload
from shared import runner, topology
from shared.bus import MSG_ID

STREAM = "DLQ"
_ALL = f"{topology.DLQ}.>"


class DeadLetter(Payload, kw_only=True):
    id: str
    subject: str
    stream: str | None = None
    consumer: str | None = None
    error: str | None = None
    attempts: int | None = None
    failed_at: datetime | None = None
    original_seq: int | None = None


class DeadLetterList(msgspec.Struct):
    items: list[DeadLetter]
    next_cursor: str | None = None


class Retried(msgspec.Struct, kw_only=True):
    id: str
    subject: str
    stream: str
    # Where the message now is in its original stream.
    seq: int
    duplicate: bool = False


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def _failed_at(headers: dict, raw: RawStreamMsg) -> datetime | None:
    with contextlib.suppress(KeyError, ValueError, TypeError, OverflowError):
        return datetime.fromtimestamp(float(headers[runner.H_FAILED_AT]), UTC)
    return raw.time


def original_subject(raw: RawStreamMsg) -> str:
    headers = raw.headers or {}
    return headers.get(runner.H_SUBJECT) or (raw.subject or "").removeprefix(f"{topology.DLQ}.")


def dead_letter(raw: RawStreamMsg) -> DeadLetter:
    h = raw.headers or {}
    return DeadLetter(
        id=str(raw.seq),
        subject=original_subject(raw),
        stream=h.get(runner.H_STREAM),
        consumer=h.get(runner.H_CONSUMER),
        error=h.get(runner.H_ERROR),
        attempts=_int(h.get(runner.H_ATTEMPTS)),
        failed_at=_failed_at(h, raw),
        original_seq=_int(h.get(runner.H_SEQ)),
        **decode_payload(raw.data or b""),
    )


async def _get(js: JetStreamContext, seq: int, *, next_one: bool = False) -> RawStreamMsg | None:
    try:
        if next_one:
            return await js.get_msg(STREAM, seq=seq, subject=_ALL, next=True)
        return await js.get_msg(STREAM, seq=seq)
    except nats.js.errors.NotFoundError:
        return None


async def page(js: JetStreamContext, start: int, limit: int) -> tuple[list[DeadLetter], int | None]:
    """Up to `limit` dead letters from sequence `start`, and where the next page starts."""
    found: list[RawStreamMsg] = []
    seq = max(1, start)
    while len(found) <= limit and (raw := await _get(js, seq, next_one=True)) is not None:
        found.append(raw)
        seq = raw.seq + 1
    more = found[limit].seq if len(found) > limit else None
    return [dead_letter(r) for r in found[:limit]], more


class Unroutable(Exception):
    """The original subject is no longer taken by the stream the message came from."""


async def _check_route(js: JetStreamContext, subject: str, expected: str | None) -> None:
    try:
        found = await js.find_stream_name_by_subject(subject)
    except nats.js.errors.NotFoundError:
        raise Unroutable(f"no stream takes {subject} any more") from None
    if expected and found != expected:
        raise Unroutable(f"{subject} now goes to stream {found}, not {expected}")


def _republish_headers(raw: RawStreamMsg, seq: int) -> dict[str, str]:
    # Upmon-* describe the failure; Nats-* were directives for the first publish (an
    # expected stream would even make the next dead-lettering fail).
    headers = {
        k: v for k, v in (raw.headers or {}).items() if not k.startswith(("Upmon-", "Nats-"))
    }
    # A new id, since the original one may still be in the duplicate window; stable per
    # dead letter, so retrying twice in a row publishes once.
    stamp = raw.time.timestamp() if raw.time else 0
    headers[MSG_ID] = f"dlq-retry:{seq}:{stamp}"
    return headers


async def retry(js: JetStreamContext, seq: int) -> Retried | None:
    """Publish the original payload to its original subject again, then drop the copy."""
    raw = await _get(js, seq)
    if raw is None:
        return None
    subject = original_subject(raw)
    await _check_route(js, subject, (raw.headers or {}).get(runner.H_STREAM))
    ack = await js.publish(subject, raw.data or b"", headers=_republish_headers(raw, seq))
    await discard(js, seq)
    return Retried(
        id=str(seq), subject=subject, stream=ack.stream, seq=ack.seq, duplicate=bool(ack.duplicate)
    )


async def discard(js: JetStreamContext, seq: int) -> bool:
    try:
        return await js.delete_msg(STREAM, seq)
    except nats.js.errors.APIError:
        if await _get(js, seq) is not None:
            raise
        return False


# -- routes ------------------------------------------------------------------------------


def _seq(request: web.Request) -> int:
    raw = request.match_info["id"]
    if not raw.isdigit() or int(raw) < 1:
        raise not_found("dead letter")
    return int(raw)


async def list_dead_letters(request: web.Request) -> web.Response:
    after = cursor.decode(params.text(request, "cursor"), tuple[int])
    items, more = await page(state.of(request).js, after[0] if after else 1, params.limit(request))
    return jsonio.reply(DeadLetterList(items, cursor.encode(more) if more else None))


async def retry_dead_letter(request: web.Request) -> web.Response:
    try:
        done = await retry(state.of(request).js, _seq(request))
    except Unroutable as exc:
        raise ApiError(409, "Cannot republish", str(exc)) from None
    if done is None:
        raise not_found("dead letter")
    return jsonio.reply(done)


async def discard_dead_letter(request: web.Request) -> web.Response:
    if not await discard(state.of(request).js, _seq(request)):
        raise not_found("dead letter")
    return jsonio.no_content()


ROUTES = [
    Route(
        "GET",
        "/api/v1/ops/dlq",
        list_dead_letters,
        "Dead letters, oldest first, with their error, attempts and decoded event.",
        scope="admin",
        response=DeadLetterList,
        query=(params.LIMIT, params.CURSOR),
    ),
    Route(
        "POST",
        "/api/v1/ops/dlq/{id}/retry",
        retry_dead_letter,
        "Publish a dead letter to its original subject again and remove it from the DLQ.",
        scope="admin",
        response=Retried,
    ),
    Route(
        "DELETE",
        "/api/v1/ops/dlq/{id}",
        discard_dead_letter,
        "Discard a dead letter.",
        scope="admin",
        status=204,
    ),
]
