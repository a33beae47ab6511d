"""Runs of job monitors and their statistics, read from ClickHouse (`job_runs`, which
the recorder writes). Rows are read with FINAL so a redelivered run counts once; user
input only reaches ClickHouse as typed query parameters."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from clickhouse_connect.driver.asyncclient import AsyncClient

from services.api.schemas import DurationStats, RunItem, RunStats
from services.api.stores import Page
from services.api.stores.results import _ch_time, _num, _utc

_TIME = "DateTime64(3, 'UTC')"
_COLUMNS = (
    "event_id, outcome, ended_at, started_at, duration_s, exit_code, rid, reason, output, late"
)


def _item(row: dict[str, Any]) -> RunItem:
    return RunItem(
        id=row["event_id"],
        outcome=row["outcome"],
        ended_at=_utc(row["ended_at"]),
        started_at=_utc(row["started_at"]),
        duration_s=_num(row["duration_s"]),
        exit_code=row["exit_code"],
        rid=row["rid"],
        reason=row["reason"],
        output=row["output"],
        late=bool(row["late"]),
    )


def _filters(
    monitor_id: uuid.UUID,
    since: datetime | None,
    until: datetime | None,
    outcome: str | None,
    before: tuple[datetime, str] | None,
) -> tuple[str, dict[str, Any]]:
    where = ["monitor_id = {monitor_id:UUID}"]
    params: dict[str, Any] = {"monitor_id": str(monitor_id)}
    if since is not None:
        where.append(f"ended_at >= {{since:{_TIME}}}")
        params["since"] = _ch_time(since)
    if until is not None:
        where.append(f"ended_at < {{until:{_TIME}}}")
        params["until"] = _ch_time(until)
    if outcome is not None:
        where.append("outcome = {outcome:String}")
        params["outcome"] = outcome
    if before is not None:
        where.append(f"(ended_at, event_id) < ({{before_at:{_TIME}}}, {{before_id:String}})")
        params["before_at"], params["before_id"] = _ch_time(before[0]), before[1]
    return " AND ".join(where), params


async def runs(
    ch: AsyncClient,
    database: str,
    monitor_id: uuid.UUID,
    *,
    limit: int,
    since: datetime | None = None,
    until: datetime | None = None,
    outcome: str | None = None,
    before: tuple[datetime, str] | None = None,
) -> Page[RunItem]:
    """Newest first, and the key to continue after this page (None at the end)."""
    where, params = _filters(monitor_id, since, until, outcome, before)
    found = await ch.query(
        f"SELECT {_COLUMNS} FROM `{database}`.job_runs FINAL WHERE {where}"
        " ORDER BY ended_at DESC, event_id DESC LIMIT {limit:UInt32}",
        parameters={**params, "limit": limit + 1},
    )
    rows = list(found.named_results())
    more = len(rows) > limit
    items = [_item(r) for r in rows[:limit]]
    return Page(items, (items[-1].ended_at, items[-1].id) if more else None)


_STATS = """
SELECT
    count() AS runs,
    countIf(outcome = 'success') AS successes,
    countIf(outcome = 'missed') AS missed,
    countIf(late) AS late,
    quantilesExactIf(0.5, 0.95)(duration_s, duration_s IS NOT NULL) AS q,
    maxIf(duration_s, duration_s IS NOT NULL) AS longest,
    countIf(duration_s IS NOT NULL) AS timed
FROM `{database}`.job_runs FINAL
WHERE monitor_id = {{monitor_id:UUID}} AND outcome != 'log' AND ended_at >= {{since:{time}}}
"""


async def stats(
    ch: AsyncClient, database: str, monitor_id: uuid.UUID, window_s: int
) -> RunStats | None:
    """Run count, success rate and duration quantiles over the window; None: no runs."""
    since = datetime.now(UTC).timestamp() - window_s
    found = await ch.query(
        _STATS.format(database=database, time=_TIME),
        parameters={
            "monitor_id": str(monitor_id),
            "since": _ch_time(datetime.fromtimestamp(since, UTC)),
        },
    )
    row = next(found.named_results())
    if not row["runs"]:
        return None
    timed = row["timed"] > 0
    p50, p95 = row["q"] if timed else (None, None)
    return RunStats(
        runs=row["runs"],
        successes=row["successes"],
        failures=row["runs"] - row["successes"],
        missed=row["missed"],
        late=row["late"],
        success_rate_pct=round(100.0 * row["successes"] / row["runs"], 2),
        duration_s=DurationStats(
            p50=_num(p50), p95=_num(p95), max=_num(row["longest"]) if timed else None
        ),
    )
