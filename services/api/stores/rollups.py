"""Reads of the per-minute and per-hour rollups of check results
(shared/migrations/clickhouse/0010_rollups.sql, with small granules since 0011).

A window starts at the beginning of the bucket that holds `now - window`: it covers
at most one bucket (a minute or an hour) more than asked, never less. Windows up to a
day read the minute rollup (kept 30 days); longer ones the hour rollup (400 days).

Checks are distinct slots per region, so totals are sums of per-region counts: the
same slot time in two regions is two checks. The views only ever add: raw rows
deleted later (ALTER TABLE ... DELETE) stay counted here."""

from __future__ import annotations

import math
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any, NamedTuple

from clickhouse_connect.driver.asyncclient import AsyncClient

DAY_S = 86_400
MINUTE_TABLE_MAX_S = DAY_S


@dataclass(frozen=True)
class Source:
    table: str
    unit: str


MINUTES = Source("rollup_minute", "MINUTE")
HOURS = Source("rollup_hour", "HOUR")


def source(window_s: int) -> Source:
    return MINUTES if window_s <= MINUTE_TABLE_MAX_S else HOURS


def window_start(src: Source) -> str:
    """SQL for the first bucket of a window of `{window_s:UInt32}` seconds."""
    return (
        f"toStartOfInterval(now() - toIntervalSecond({{window_s:UInt32}}), INTERVAL 1 {src.unit})"
    )


class Counts(NamedTuple):
    """Distinct check slots over a span, and how many of them a region answered."""

    checks: int = 0
    answered: int = 0


def uptime_pct(checks: int, answered: int) -> float | None:
    return round(100.0 * answered / checks, 3) if checks else None


async def uptime(ch: AsyncClient, database: str, monitor_id: uuid.UUID, window_s: int) -> Counts:
    """A monitor's counts over a window, from the hour rollup."""
    found = await ch.query(
        "SELECT sum(c), sum(a) FROM (SELECT uniqExactIfMerge(checks) AS c,"
        f" uniqExactIfMerge(answered) AS a FROM `{database}`.{HOURS.table}"
        f" WHERE monitor_id = {{monitor_id:UUID}} AND bucket >= {window_start(HOURS)}"
        " GROUP BY region)",
        parameters={"monitor_id": str(monitor_id), "window_s": window_s},
    )
    checks, answered = found.result_rows[0]
    return Counts(int(checks), int(answered))


def last_days(count: int, today: date | None = None) -> list[date]:
    """The last `count` UTC days, oldest first, today included."""
    today = today or datetime.now(UTC).date()
    return [today - timedelta(days=n) for n in range(count - 1, -1, -1)]


async def daily(
    ch: AsyncClient, database: str, monitor_ids: list[uuid.UUID], first: date
) -> dict[tuple[str, date], Counts]:
    """Counts per (monitor id, UTC day) from `first` on, from the hour rollup; days
    without checks are absent."""
    if not monitor_ids:
        return {}
    found = await ch.query(
        "SELECT toString(monitor_id), day, sum(c), sum(a) FROM ("
        " SELECT monitor_id, toDate(bucket) AS day, uniqExactIfMerge(checks) AS c,"
        f" uniqExactIfMerge(answered) AS a FROM `{database}`.{HOURS.table}"
        " WHERE monitor_id IN {ids:Array(UUID)} AND bucket >= {first:DateTime('UTC')}"
        " GROUP BY monitor_id, region, day"
        ") GROUP BY monitor_id, day",
        parameters={
            "ids": [str(i) for i in monitor_ids],
            "first": datetime.combine(first, datetime.min.time()).strftime("%Y-%m-%d %H:%M:%S"),
        },
    )
    return {(m, d): Counts(int(c), int(a)) for m, d, c, a in found.result_rows}


_HOURLY = """
SELECT toString(monitor_id) AS id, hour AS bucket, sum(c) AS checks, sum(a) AS answered,
       avgIfMerge(l) AS latency
FROM (
    SELECT monitor_id, toStartOfHour(bucket) AS hour, uniqExactIfMerge(checks) AS c,
           uniqExactIfMerge(answered) AS a, avgIfMergeState(latency_avg) AS l
    FROM `{database}`.{table}
    WHERE monitor_id IN {{ids:Array(UUID)}} AND bucket >= {{first:DateTime('UTC')}}
    GROUP BY monitor_id, region, hour
)
GROUP BY monitor_id, hour
"""


class Hour(NamedTuple):
    checks: int = 0
    answered: int = 0
    # The average latency of the answered checks.
    latency_ms: float | None = None


async def hourly(
    ch: Any, database: str, ids: list[uuid.UUID], first: datetime, hours: int
) -> dict[str, dict[int, Hour]]:
    """monitor id -> hour index (0 is `first`) -> its counts, from the minute rollup."""
    if not ids:
        return {}
    found = await ch.query(
        _HOURLY.format(database=database, table=MINUTES.table),
        parameters={"ids": [str(i) for i in ids], "first": first.strftime("%Y-%m-%d %H:%M:%S")},
    )
    out: dict[str, dict[int, Hour]] = {}
    for mid, bucket, checks, answered, latency in found.result_rows:
        index = int((bucket.replace(tzinfo=UTC) - first).total_seconds() // 3600)
        if 0 <= index < hours:
            avg = None if latency is None or math.isnan(latency) else float(latency)
            out.setdefault(mid, {})[index] = Hour(int(checks), int(answered), avg)
    return out
