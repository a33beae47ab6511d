"""Check results and their statistics, read from ClickHouse.

Raw rows are read with FINAL so a redelivered result counted once. User input
only ever reaches ClickHouse as typed query parameters."""

from __future__ import annotations

import math
import uuid
from datetime import UTC, datetime
from typing import Any

import msgspec
from clickhouse_connect.driver.asyncclient import AsyncClient

from services.api.schemas import (
    LatencyStats,
    PhasesView,
    RegionStats,
    ResultItem,
    Stats,
)
from services.api.stores import Page, rollups

PHASES = ("dns_ms", "connect_ms", "tls_ms", "ttfb_ms", "transfer_ms")
_TIME = "DateTime64(3, 'UTC')"
_RESULT_COLUMNS = (
    "check_id, region, scheduled_at, checked_at, status, latency_ms, http_status,"
    " error_kind, error, " + ", ".join(PHASES) + ", cert_expires_at, cert_issuer, cert_subject,"
    " details"
)
_details = msgspec.json.Decoder(dict[str, Any]).decode


def _ch_time(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")[:-3]


def _utc(value: datetime | None) -> datetime | None:
    # The driver hands back naive datetimes even for a column declared in UTC.
    return value.replace(tzinfo=UTC) if value is not None and value.tzinfo is None else value


def _num(value: float | None) -> float | None:
    """Float32 columns widen to noisy doubles, and empty aggregates are NaN: tidy both."""
    if value is None or math.isnan(value):
        return None
    return round(float(value), 3)


def _result(row: dict[str, Any]) -> ResultItem:
    return ResultItem(
        check_id=row["check_id"],
        region=row["region"],
        scheduled_at=_utc(row["scheduled_at"]),
        checked_at=_utc(row["checked_at"]),
        status=row["status"],
        latency_ms=_num(row["latency_ms"]),
        http_status=row["http_status"],
        error_kind=row["error_kind"],
        error=row["error"],
        phases=PhasesView(**{p: _num(row[p]) for p in PHASES}),
        cert_expires_at=_utc(row["cert_expires_at"]),
        cert_issuer=row["cert_issuer"],
        cert_subject=row["cert_subject"],
        details=_details(row["details"]) if row["details"] else {},
    )


def _filters(
    monitor_id: uuid.UUID,
    since: datetime | None,
    until: datetime | None,
    region: str | None,
    before: tuple[datetime, str] | None,
) -> tuple[str, dict[str, Any]]:
    """A WHERE clause of typed placeholders, and the values bound to them."""
    where = ["monitor_id = {monitor_id:UUID}"]
    params: dict[str, Any] = {"monitor_id": str(monitor_id)}
    if since is not None:
        where.append(f"scheduled_at >= {{since:{_TIME}}}")
        params["since"] = _ch_time(since)
    if until is not None:
        where.append(f"scheduled_at < {{until:{_TIME}}}")
        params["until"] = _ch_time(until)
    if region is not None:
        where.append("region = {region:String}")
        params["region"] = region
    if before is not None:
        where.append(f"(scheduled_at, region) < ({{before_at:{_TIME}}}, {{before_region:String}})")
        params["before_at"], params["before_region"] = _ch_time(before[0]), before[1]
    return " AND ".join(where), params


async def results(
    ch: AsyncClient,
    database: str,
    monitor_id: uuid.UUID,
    *,
    limit: int,
    since: datetime | None = None,
    until: datetime | None = None,
    region: str | None = None,
    before: tuple[datetime, str] | None = None,
) -> Page[ResultItem]:
    """Newest first, and the key to continue after this page (None at the end)."""
    where, params = _filters(monitor_id, since, until, region, before)
    found = await ch.query(
        f"SELECT {_RESULT_COLUMNS} FROM `{database}`.check_results FINAL WHERE {where}"
        " ORDER BY scheduled_at DESC, region DESC LIMIT {limit:UInt32}",
        parameters={**params, "limit": limit + 1},
    )
    rows = list(found.named_results())
    more = len(rows) > limit
    items = [_result(r) for r in rows[:limit]]
    return Page(items, (items[-1].scheduled_at, items[-1].region) if more else None)


# From the rollups, over the buckets stores/rollups.py picks for the window. `missed`
# checks never ran, so they are not checks; `degraded` answered, so it is up. Latency
# and phases describe answers. Regions are counted apart: their slot times coincide.
_STATS = """
SELECT
    grouping(region) AS is_total,
    region,
    sum(region_checks) AS checks,
    sum(region_checks - region_answered) AS failures,
    avgIfMerge(latency) AS avg,
    quantilesDeterministicIfMerge(0.5, 0.95, 0.99)(latency_quantiles) AS quantiles,
    {phases}
FROM (
    SELECT
        region,
        uniqExactIfMerge(checks) AS region_checks,
        uniqExactIfMerge(answered) AS region_answered,
        avgIfMergeState(latency_avg) AS latency,
        quantilesDeterministicIfMergeState(0.5, 0.95, 0.99)(latency_q) AS latency_quantiles,
        {phase_states}
    FROM `{database}`.{table}
    WHERE monitor_id = {{monitor_id:UUID}} AND bucket >= {start}
    GROUP BY region
)
GROUP BY GROUPING SETS ((), (region))
"""


def _stats_sql(database: str, window_s: int) -> str:
    src = rollups.source(window_s)
    names = [p.removesuffix("_ms") for p in PHASES]
    return _STATS.format(
        database=database,
        table=src.table,
        start=rollups.window_start(src),
        phases=", ".join(f"avgIfMerge({n}) AS {p}" for n, p in zip(names, PHASES, strict=True)),
        phase_states=", ".join(f"avgIfMergeState({n}_avg) AS {n}" for n in names),
    )


_NO_CHECKS: dict[str, Any] = {"checks": 0, "failures": 0, "avg": None, "quantiles": None}
_NO_CHECKS.update(dict.fromkeys(PHASES))


def _uptime(checks: int, failures: int) -> float | None:
    return round(100.0 * (checks - failures) / checks, 3) if checks else None


def _latency(row: dict[str, Any]) -> LatencyStats:
    p50, p95, p99 = row["quantiles"] or [None, None, None]
    return LatencyStats(avg=_num(row["avg"]), p50=_num(p50), p95=_num(p95), p99=_num(p99))


def _region(row: dict[str, Any]) -> RegionStats:
    return RegionStats(
        uptime_pct=_uptime(row["checks"], row["failures"]),
        checks=row["checks"],
        failures=row["failures"],
        latency_ms=_latency(row),
    )


async def stats(
    ch: AsyncClient, database: str, monitor_id: uuid.UUID, window: str, window_s: int
) -> Stats:
    found = await ch.query(
        _stats_sql(database, window_s),
        parameters={"monitor_id": str(monitor_id), "window_s": window_s},
    )
    rows = list(found.named_results())
    # No rows at all in the window: the total row may be missing, which means zero checks.
    total = next((r for r in rows if r["is_total"]), _NO_CHECKS)
    return Stats(
        window=window,
        uptime_pct=_uptime(total["checks"], total["failures"]),
        checks=total["checks"],
        failures=total["failures"],
        latency_ms=_latency(total),
        phases_ms=PhasesView(**{p: _num(total[p]) for p in PHASES}),
        by_region={r["region"]: _region(r) for r in rows if not r["is_total"] and r["checks"]},
    )
