"""GET /api/v1/ops/events: a window of a stream as decoded events, for operators
debugging what happened (`upmon replay` reads the same window from a terminal)."""

from __future__ import annotations

import contextlib
from datetime import datetime
from typing import Literal

import msgspec
from aiohttp import web

from services.api import cursor, jsonio, params, state
from services.api.problems import invalid_field
from services.api.routing import Param, Route
from services.api.stream_window import Record, Window, stream_subjects, subject_error, window
from shared.payloads import Payload, decode_payload


class StreamEvent(Payload, kw_only=True):
    seq: int
    subject: str
    time: datetime


class EventList(msgspec.Struct):
    items: list[StreamEvent]
    next_cursor: str | None = None


def stream_event(record: Record) -> StreamEvent:
    return StreamEvent(
        seq=record.seq, subject=record.subject, time=record.time, **decode_payload(record.data)
    )


def _window(request: web.Request) -> Window:
    known = stream_subjects(state.of(request).settings)
    stream = params.typed(request, "stream") or ""
    if stream not in known:
        raise invalid_field("stream", f"must be one of: {', '.join(known)}")
    subject = params.text(request, "subject")
    if subject is not None and (problem := subject_error(subject, known[stream])):
        raise invalid_field("subject", problem)
    after = cursor.decode(params.text(request, "cursor"), tuple[int])
    since, until = params.timestamp(request, "since"), params.timestamp(request, "until")
    if since and until and until < since:
        raise invalid_field("until", "must not be before since")
    return Window(stream, subject, since, after[0] if after else None, until)


async def list_events(request: web.Request) -> web.Response:
    w, limit = _window(request), params.limit(request)
    items: list[StreamEvent] = []
    more = False
    async with contextlib.aclosing(window(state.of(request).js, w)) as records:
        async for record in records:
            if len(items) == limit:
                more = True
                break
            items.append(stream_event(record))
    next_cursor = cursor.encode(items[-1].seq + 1) if more else None
    return jsonio.reply(EventList(items, next_cursor))


ROUTES = [
    Route(
        "GET",
        "/api/v1/ops/events",
        list_events,
        "A window of a stream as decoded events, in stream order.",
        operation="listStreamEvents",
        scope="admin",
        response=EventList,
        query=(
            Param(
                "stream",
                Literal["MONITORS", "CHECKS", "RESULTS", "INCIDENTS", "NOTIFY", "DLQ"],
                "The stream to read.",
                required=True,
            ),
            Param("subject", str, "Only subjects matching this pattern (`*` and `>` work)."),
            Param("since", datetime, "From this time (default: the stream's start)."),
            Param("until", datetime, "Up to this time (default: the stream's end)."),
            params.LIMIT,
            params.CURSOR,
        ),
    ),
]
