"""Reads of the operations history the recorder samples into ClickHouse's ops_samples
(shared/opsamples.py): /api/v1/ops/history and /api/v1/ops/throughput.

Rows are read with FINAL, so a bucket two replicas sampled counts once."""

from __future__ import annotations

from dataclasses import dataclass

import msgspec

from shared.opsamples import COUNTS, RATES, REPLICA, TABLE, WINDOWS


class Series(msgspec.Struct, kw_only=True):
    stream: str
    consumer: str
    # [unix seconds, value] per step; steps without a sample are left out.
    points: list[tuple[int, float]]


class History(msgspec.Struct, kw_only=True):
    metric: str
    window: str
    step_s: int
    series: list[Series]


def _aggregate(metric: str) -> str:
    # A depth is worst at its peak; a rate is what it averaged over the step; counts add.
    if metric in COUNTS:
        return "sum"
    return "avg" if metric in RATES or metric in REPLICA else "max"


async def history(
    ch,
    database: str,
    metric: str,
    window: str,
    stream: str | None = None,
    consumer: str | None = None,
) -> History:
    span, step = WINDOWS[window]
    where = ["metric = {metric:String}", "at >= now() - toIntervalSecond({span:UInt32})"]
    params: dict[str, object] = {"metric": metric, "span": int(span.total_seconds())}
    if stream:
        where.append("stream = {stream:String}")
        params["stream"] = stream
    if consumer is not None:
        where.append("consumer = {consumer:String}")
        params["consumer"] = consumer
    query = (
        f"SELECT stream, consumer, toUnixTimestamp(toStartOfInterval(at, INTERVAL {step} SECOND))"
        f" AS t, {_aggregate(metric)}(value) FROM `{database}`.{TABLE} FINAL"
        f" WHERE {' AND '.join(where)} GROUP BY stream, consumer, t ORDER BY stream, consumer, t"
    )
    found: dict[tuple[str, str], list[tuple[int, float]]] = {}
    for s, c, t, v in (await ch.query(query, parameters=params)).result_rows:
        found.setdefault((s, c), []).append((int(t), round(float(v), 6)))
    series = [Series(stream=s, consumer=c, points=p) for (s, c), p in found.items()]
    return History(metric=metric, window=window, step_s=step, series=series)


def _table(database: str) -> str:
    return f"`{database}`.{TABLE} FINAL"


async def rates_in(ch, database: str) -> dict[str, float]:
    """Messages stored per second in CHECKS, RESULTS and NOTIFY over the last minute sampled."""
    rows = await ch.query(
        f"SELECT stream, avg(value) FROM {_table(database)} WHERE metric = 'rate_in'"
        " AND stream IN ('CHECKS', 'RESULTS', 'NOTIFY') AND at >= now() - INTERVAL 70 SECOND"
        " GROUP BY stream"
    )
    return {stream: round(float(v), 3) for stream, v in rows.result_rows}


@dataclass(frozen=True)
class Recorded:
    """Over a span, as the recorders saw it: the worst 10 s p99s of any replica, and
    how many results were stored."""

    schedule_lag_p99_ms: float
    check_to_row_p99_ms: float
    results: float


_SINCE = "at >= now() - toIntervalSecond({span:UInt32})"


async def recorded(ch, database: str, span_s: int) -> Recorded:
    found = await ch.query(
        "SELECT maxIf(value, metric = 'schedule_lag_p99_ms'),"
        " maxIf(value, metric = 'check_to_row_p99_ms'),"
        f" sumIf(value, metric = 'results_recorded') FROM {_table(database)}"
        " WHERE metric IN ('schedule_lag_p99_ms', 'check_to_row_p99_ms', 'results_recorded')"
        f" AND {_SINCE}",
        parameters={"span": span_s},
    )
    lag_p99, row_p99, results = found.result_rows[0]
    return Recorded(lag_p99, row_p99, results)


async def error_kinds(
    ch, database: str, span_s: int, step_s: int
) -> dict[str, list[tuple[int, int]]]:
    """Failed checks per error kind: [unix seconds, count] per step."""
    rows = await ch.query(
        f"SELECT stream, toUnixTimestamp(toStartOfInterval(at, INTERVAL {step_s} SECOND)) AS t,"
        f" sum(value) FROM {_table(database)} WHERE metric = 'errors' AND {_SINCE}"
        " GROUP BY stream, t ORDER BY stream, t",
        parameters={"span": span_s},
    )
    series: dict[str, list[tuple[int, int]]] = {}
    for kind, t, n in rows.result_rows:
        series.setdefault(kind, []).append((int(t), int(n)))
    return series
