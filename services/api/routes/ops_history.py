"""Operations history: what the recorder sampled every 10 s into ClickHouse."""

from __future__ import annotations

import math
from typing import Literal

import msgspec
from aiohttp import web

from services.api import jsonio, params, state
from services.api.problems import invalid_field
from services.api.routing import Param, Route
from services.api.stores import ops_samples as store
from shared import opsamples


async def history(request: web.Request) -> web.Response:
    metric = params.choice(request, "metric", opsamples.METRICS)
    if metric is None:
        raise invalid_field("metric", f"is required: one of {', '.join(opsamples.METRICS)}")
    window = params.choice(request, "window", tuple(opsamples.WINDOWS)) or "1h"
    stream, consumer = params.text(request, "stream"), params.text(request, "consumer")
    for name, value in (("stream", stream), ("consumer", consumer)):
        if value and len(value) > 100:
            raise invalid_field(name, "must be at most 100 characters")
    s = state.of(request)
    found = await store.history(
        s.ch, s.settings.clickhouse_database, metric, window, stream, consumer
    )
    return jsonio.reply(found)


class KindSeries(msgspec.Struct, kw_only=True):
    error_kind: str
    # [unix seconds, failed checks] per step.
    points: list[tuple[int, int]]


class Throughput(msgspec.Struct, kw_only=True):
    window: str
    step_s: int
    # Messages stored per second in CHECKS, RESULTS and NOTIFY over the last minute sampled.
    checks_per_s: float | None
    results_per_s: float | None
    deliveries_per_s: float | None
    # Over the window, as the recorders saw them (the worst 10 s p99 of any replica):
    # how late checks started, and how long a result took to its row.
    schedule_lag_p99_ms: float | None
    check_to_row_p99_ms: float | None
    # Results stored over the window.
    checks: int
    error_kinds: list[KindSeries]


_STEPS = {"1h": (3600, 60), "24h": (86400, 1800)}


async def throughput(request: web.Request) -> web.Response:
    """From the sampled history only: its cost does not grow with the results table."""
    window = params.choice(request, "window", tuple(_STEPS)) or "1h"
    span, step = _STEPS[window]
    s = state.of(request)
    db = s.settings.clickhouse_database
    seen = await store.recorded(s.ch, db, span)
    kinds = await store.error_kinds(s.ch, db, span, step)
    rates = await store.rates_in(s.ch, db)
    done = Throughput(
        window=window,
        step_s=step,
        checks_per_s=rates.get("CHECKS"),
        results_per_s=rates.get("RESULTS"),
        deliveries_per_s=rates.get("NOTIFY"),
        schedule_lag_p99_ms=_finite(seen.schedule_lag_p99_ms) if seen.results else None,
        check_to_row_p99_ms=_finite(seen.check_to_row_p99_ms) if seen.results else None,
        checks=int(seen.results or 0),
        error_kinds=[KindSeries(error_kind=k, points=p) for k, p in kinds.items()],
    )
    return jsonio.reply(done)


def _finite(value) -> float | None:
    value = float(value)
    return round(value, 1) if math.isfinite(value) else None


ROUTES = [
    Route(
        "GET",
        "/api/v1/ops/throughput",
        throughput,
        "Checks, results and deliveries per second, p99 schedule lag and check-to-row"
        " latency, and failed checks by error kind over time.",
        operation="getThroughput",
        scope="read",
        response=Throughput,
        query=(Param("window", Literal["1h", "24h"], "How far back (default 1h)."),),
    ),
    Route(
        "GET",
        "/api/v1/ops/history",
        history,
        "Sampled history of a queue or replica metric: one series per stream and consumer"
        " (or service and replica), about 300 points per window.",
        operation="getMetricHistory",
        scope="read",
        response=store.History,
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
