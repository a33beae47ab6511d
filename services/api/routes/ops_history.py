"""Operations history: what the recorder sampled every 10 s into ClickHouse."""

from __future__ import annotations

from aiohttp import web

from services.api import jsonio, params, state
from services.api.problems import invalid_field
from services.api.routing import Param, Route
from shared import opsamples


async def history(request: web.Request) -> web.Response:
    metric = params.choice(request, "metric", opsamples.METRICS)
    if metric is None:
        raise invalid_field("metric", f"is required: one of {', '.join(opsamples.METRICS)}")
    window = params.choice(request, "window", tuple(opsamples.WINDOWS)) or "1h"
    stream, consumer = params.text(request, "stream"), request.query.get("consumer")
    for name, value in (("stream", stream), ("consumer", consumer)):
        if value and len(value) > 100:
            raise invalid_field(name, "must be at most 100 characters")
    s = state.of(request)
    found = await opsamples.history(
        s.ch, s.settings.clickhouse_database, metric, window, stream, consumer
    )
    return jsonio.reply(found)


ROUTES = [
    Route(
        "GET",
        "/api/v1/ops/history",
        history,
        "Sampled history of a queue or replica metric: one series per stream and consumer"
        " (or service and replica), about 300 points per window.",
        scope="read",
        response=opsamples.History,
        query=(
            Param("metric", opsamples.Metric, "What to read.", required=True),
            Param(
                "window",
                opsamples.Window,
                "How far back (default 1h).",
            ),
            Param("stream", str, "Only this stream (or, for replica metrics, service)."),
            Param("consumer", str, "Only this consumer (or replica id); empty: stream rows."),
        ),
    ),
]
