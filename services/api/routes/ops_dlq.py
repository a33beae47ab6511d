"""Dead letters over HTTP: list them with filters, retry or discard one or all that
match a filter, purge old ones, and report the top failure reasons. The logic lives in
shared/dlq.py, which `upmon dlq` uses too."""

from __future__ import annotations

from datetime import datetime

from aiohttp import web

from services.api import cursor, jsonio, params, state
from services.api.problems import ApiError, invalid_field, not_found
from services.api.routing import Param, Route
from shared import dlq

_FILTERS = (
    Param("subject", str, "Original subject; NATS wildcards `*` and `>` work."),
    Param("consumer", str, "The consumer that gave up on the message."),
    Param("error", str, "Case-insensitive text the error contains."),
    Param("since", datetime, "Failed at or after this time."),
    Param("until", datetime, "Failed at or before this time."),
)


def _seq(request: web.Request) -> int:
    raw = request.match_info["id"]
    if not raw.isdigit() or int(raw) < 1:
        raise not_found("dead letter")
    return int(raw)


def _query_filter(request: web.Request) -> dlq.Filter:
    raw = {p.name: v for p in _FILTERS[:3] if (v := params.text(request, p.name))}
    found = jsonio.convert(raw, dlq.Filter, "")
    found.since = params.timestamp(request, "since")
    found.until = params.timestamp(request, "until")
    return found


async def list_dead_letters(request: web.Request) -> web.Response:
    after = cursor.decode(params.text(request, "cursor"), tuple[int])
    start = after[0] if after else 1
    f = _query_filter(request)
    items, more = await dlq.page(state.of(request).js, start, params.limit(request), f)
    return jsonio.reply(dlq.DeadLetterList(items, cursor.encode(more) if more else None))


async def retry_dead_letter(request: web.Request) -> web.Response:
    try:
        done = await dlq.retry(state.of(request).js, _seq(request))
    except dlq.Unroutable as exc:
        raise ApiError(409, "Cannot republish", str(exc)) from None
    if done is None:
        raise not_found("dead letter")
    return jsonio.reply(done)


async def discard_dead_letter(request: web.Request) -> web.Response:
    if not await dlq.discard(state.of(request).js, _seq(request)):
        raise not_found("dead letter")
    return jsonio.no_content()


async def _bulk_filter(request: web.Request) -> dlq.Filter:
    f = await jsonio.body(request, dlq.Filter)
    if not (f.all or f.narrows()):
        raise invalid_field("all", "name ids, a filter, or set all to true")
    return f


async def retry_matching(request: web.Request) -> web.Response:
    f = await _bulk_filter(request)
    return jsonio.reply(await dlq.retry_matching(state.of(request).js, f))


async def discard_matching(request: web.Request) -> web.Response:
    f = await _bulk_filter(request)
    return jsonio.reply(await dlq.discard_matching(state.of(request).js, f))


async def purge(request: web.Request) -> web.Response:
    body = await jsonio.body(request, dlq.PurgeRequest)
    try:
        older = dlq.span(body.older_than)
    except ValueError as exc:
        raise invalid_field("older_than", str(exc)) from None
    return jsonio.reply(await dlq.purge(state.of(request).js, older, body.dry_run))


async def report(request: web.Request) -> web.Response:
    return jsonio.reply(await dlq.report(state.of(request).js))


ROUTES = [
    Route(
        "GET",
        "/api/v1/ops/dlq",
        list_dead_letters,
        "Dead letters, oldest first, with their error, attempts and decoded event.",
        operation="listDeadLetters",
        scope="admin",
        response=dlq.DeadLetterList,
        query=(params.LIMIT, params.CURSOR, *_FILTERS),
    ),
    Route(
        "POST",
        "/api/v1/ops/dlq:retry",
        retry_matching,
        "Republish every dead letter that matches (ids, a filter, or all); dry_run counts.",
        operation="retryDeadLetters",
        scope="admin",
        body=dlq.Filter,
        response=dlq.Outcome,
    ),
    Route(
        "POST",
        "/api/v1/ops/dlq:discard",
        discard_matching,
        "Discard every dead letter that matches (ids, a filter, or all); dry_run counts.",
        operation="discardDeadLetters",
        scope="admin",
        body=dlq.Filter,
        response=dlq.Outcome,
    ),
    Route(
        "POST",
        "/api/v1/ops/dlq:purge",
        purge,
        "Drop dead letters held longer than older_than (e.g. 7d).",
        operation="purgeDeadLetters",
        scope="admin",
        body=dlq.PurgeRequest,
        response=dlq.Outcome,
    ),
    Route(
        "GET",
        "/api/v1/ops/dlq/report",
        report,
        "Top failure reasons of the last 24 hours and 7 days, by consumer and error class.",
        operation="getDeadLetterReport",
        scope="admin",
        response=dlq.Report,
    ),
    Route(
        "POST",
        "/api/v1/ops/dlq/{id}/retry",
        retry_dead_letter,
        "Publish a dead letter to its original subject again and remove it from the DLQ.",
        operation="retryDeadLetter",
        scope="admin",
        response=dlq.Retried,
    ),
    Route(
        "DELETE",
        "/api/v1/ops/dlq/{id}",
        discard_dead_letter,
        "Discard a dead letter.",
        operation="discardDeadLetter",
        scope="admin",
        status=204,
    ),
]
