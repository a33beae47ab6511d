"""Statistics come from the rollups the materialized views fill on insert, and
agree with the raw table read with FINAL, also after a result is inserted twice."""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pytest

from shared import clickhouse
from shared.db import migration_files

WINDOWS = {"1h": 3600, "24h": 86_400, "7d": 7 * 86_400, "30d": 30 * 86_400, "90d": 90 * 86_400}
PHASES = ("dns_ms", "connect_ms", "tls_ms", "ttfb_ms", "transfer_ms")
COLUMNS = [
    "check_id",
    "monitor_id",
    "region",
    "scheduled_at",
    "checked_at",
    "status",
    "latency_ms",
    *PHASES,
    "executor",
    "event_id",
    "ingested_at",
]


@dataclass
class Row:
    at: datetime
    status: str = "up"
    region: str = "eu"
    latency_ms: float | None = None
    phases: dict[str, float] = field(default_factory=dict)


async def insert_rows(ch, database: str, monitor_id: str, rows: list[Row], ingested_at=None):
    """Insert as the recorder does; the check id follows the slot, so inserting the
    same rows again is a redelivery."""
    ingested_at = ingested_at or datetime.now(UTC)
    values = [
        [
            f"{monitor_id}:{r.region}:{int(r.at.timestamp() * 1000)}",
            uuid.UUID(monitor_id),
            r.region,
            r.at,
            r.at + timedelta(milliseconds=5),
            r.status,
            r.latency_ms,
            *(r.phases.get(p) for p in PHASES),
            "executor-1",
            str(uuid.uuid4()),
            ingested_at,
        ]
        for r in rows
    ]
    await ch.insert(f"{database}.check_results", values, column_names=COLUMNS)


# The statistics as they were computed from raw rows before the rollups existed, over
# the same bucket-aligned window the rollups cover.
RAW_STATS = """
SELECT
    grouping(region) AS is_total, region,
    countIf(status != 'missed') AS checks, countIf(status = 'down') AS failures,
    avgIf(latency_ms, ok) AS avg,
    quantilesExactInclusiveIf(0.5, 0.95, 0.99)(latency_ms, ok) AS quantiles,
    {phases}
FROM (
    SELECT *, status IN ('up', 'degraded') AS ok FROM `{db}`.check_results FINAL
    WHERE monitor_id = {{monitor_id:UUID}} AND scheduled_at >= toStartOfInterval(
        now64(3) - toIntervalSecond({{window_s:UInt32}}), INTERVAL 1 {unit})
)
GROUP BY GROUPING SETS ((), (region))
"""


def _r(value):
    return None if value is None or value != value else round(float(value), 3)


async def raw_stats(ch, db: str, monitor_id: str, window: str) -> dict:
    sql = RAW_STATS.format(
        db=db,
        unit="MINUTE" if WINDOWS[window] <= 86_400 else "HOUR",
        phases=", ".join(f"avgIf({p}, ok) AS {p}" for p in PHASES),
    )
    found = await ch.query(sql, parameters={"monitor_id": monitor_id, "window_s": WINDOWS[window]})
    out = {}
    for row in found.named_results():
        p50, p95, p99 = map(_r, row["quantiles"])
        out["total" if row["is_total"] else row["region"]] = {
            "checks": row["checks"],
            "failures": row["failures"],
            "latency_ms": {"avg": _r(row["avg"]), "p50": p50, "p95": p95, "p99": p99},
            "phases_ms": {p: _r(row[p]) for p in PHASES},
        }
    return out


def _api_view(stats: dict) -> dict:
    out = {
        "total": {
            "checks": stats["checks"],
            "failures": stats["failures"],
            "latency_ms": stats["latency_ms"],
            "phases_ms": stats["phases_ms"],
        }
    }
    for region, r in stats["by_region"].items():
        out[region] = {"checks": r["checks"], "failures": r["failures"]}
        out[region]["latency_ms"] = r["latency_ms"]
    return out


def _comparable(raw: dict) -> dict:
    """The raw figures in the API's shape (per-region rows carry no phases)."""
    out = {k: dict(v) for k, v in raw.items() if v["checks"] or k == "total"}
    for key, value in out.items():
        if key != "total":
            value.pop("phases_ms")
    return out


def history(seed: int = 7) -> list[Row]:
    """Results over 89 days in two regions that share slot times. None falls where a
    window's first bucket could move between two reads (a minute or an hour)."""
    rnd = random.Random(seed)
    base = datetime.now(UTC).replace(second=30, microsecond=0)
    margins = {s // 60: 3 if s <= 86_400 else 90 for s in WINDOWS.values()}
    rows, minute = [], 2
    while minute < 89 * 1440:
        if all(abs(minute - edge) > margin for edge, margin in margins.items()):
            for region in ("eu", "us"):
                status = rnd.choices(["up", "degraded", "down", "missed"], [80, 8, 10, 2])[0]
                latency = float(rnd.randint(20, 900)) if status != "missed" else None
                phases = {p: float(rnd.randint(1, 50)) for p in PHASES[: rnd.randint(0, 5)]}
                rows.append(Row(base - timedelta(minutes=minute), status, region, latency, phases))
        minute += rnd.choice([1, 3, 7] if minute < 120 else [7, 45, 300, 1300])
    return rows


ROLLUPS = ("rollup_minute", "rollup_hour")
# What a database at version 10 applies on the way up: the granule change and whatever
# later migrations exist (their own tests cover them).
UPGRADE = [name for version, name, _ in migration_files("clickhouse") if version > 10]


async def rollup_counts(ch, db: str, monitor_id: str) -> dict[str, list]:
    counts = {}
    for table in ROLLUPS:
        found = await ch.query(
            "SELECT uniqExactIfMerge(checks), uniqExactIfMerge(answered)"
            f" FROM `{db}`.{table} WHERE monitor_id = {{m:UUID}}",
            parameters={"m": monitor_id},
        )
        counts[table] = found.result_rows
    return counts


async def back_to(settings, ch, version: int) -> None:
    """The schema as migration `version` left it, the rollups since dropped."""
    db = settings.clickhouse_database
    for name in ("rollup_minute_mv", "rollup_hour_mv", *ROLLUPS):
        await ch.command(f"DROP TABLE IF EXISTS `{db}`.{name}")
    await ch.command(f"DELETE FROM `{db}`.schema_migrations WHERE version >= 10")
    await clickhouse.migrate(settings, until=version)


async def test_migrations_are_idempotent_and_backfill_existing_rows(settings, ch):
    db = settings.clickhouse_database
    mid = str(uuid.uuid4())
    now = datetime.now(UTC)
    await insert_rows(ch, db, mid, [Row(now - timedelta(minutes=5), "down")])
    await back_to(settings, ch, 9)
    await insert_rows(ch, db, mid, [Row(now - timedelta(minutes=3), "up", latency_ms=10.0)])

    assert await clickhouse.migrate(settings) == ["0010_rollups.sql", *UPGRADE]
    assert await clickhouse.migrate(settings) == []

    assert await rollup_counts(ch, db, mid) == {t: [(2, 1)] for t in ROLLUPS}


async def test_upgrade_to_small_granules_keeps_rollups_that_outlived_raw_rows(settings, ch):
    db = settings.clickhouse_database
    mid = str(uuid.uuid4())
    now = datetime.now(UTC)
    await back_to(settings, ch, 10)
    rows = [Row(now - timedelta(minutes=5), "down"), Row(now - timedelta(minutes=3), "up")]
    await insert_rows(ch, db, mid, rows)
    # Raw rows expire long before hourly rollups: only the old rollups hold these now.
    await ch.command(f"TRUNCATE TABLE `{db}`.check_results")

    assert await clickhouse.migrate(settings) == UPGRADE

    assert await rollup_counts(ch, db, mid) == {t: [(2, 1)] for t in ROLLUPS}
    tables = await ch.query(
        "SELECT name FROM system.tables WHERE database = {db:String} AND name LIKE '%rollup%'",
        parameters={"db": db},
    )
    assert sorted(r[0] for r in tables.result_rows) == sorted(
        [*ROLLUPS, "rollup_minute_mv", "rollup_hour_mv"]
    )


async def test_rollups_use_small_index_granules(settings, ch):
    found = await ch.query(
        "SELECT name, engine_full FROM system.tables WHERE database = {db:String}"
        " AND name IN ('rollup_minute', 'rollup_hour')",
        parameters={"db": settings.clickhouse_database},
    )
    assert len(found.result_rows) == 2
    for name, engine in found.result_rows:
        assert "index_granularity = 256" in engine, name


async def test_stats_from_rollups_equal_final_raw_rows_with_a_redelivered_failure(
    api, ch, settings
):
    db = settings.clickhouse_database
    mid = (await api.monitor())["id"]
    rows = history()
    await insert_rows(ch, db, mid, rows, datetime.now(UTC) - timedelta(seconds=30))
    # Redelivered: the same results again, in a later insert of another batch.
    again = [r for r in rows if r.status in ("down", "missed")][:20]
    await insert_rows(ch, db, mid, again)

    for window in WINDOWS:
        stats = (await api.call("GET", f"/api/v1/monitors/{mid}/stats?window={window}")).body

        raw = await raw_stats(ch, db, mid, window)
        assert stats["window"] == window
        assert _api_view(stats) == _comparable(raw), window
        total = raw["total"]
        expected = round(100 * (total["checks"] - total["failures"]) / total["checks"], 3)
        assert stats["uptime_pct"] == expected


@pytest.mark.parametrize("window", ["1h", "90d"])
async def test_redelivered_answered_results_count_once(api, ch, settings, window):
    db = settings.clickhouse_database
    mid = (await api.monitor())["id"]
    now = datetime.now(UTC).replace(second=20, microsecond=0)
    rows = [Row(now - timedelta(minutes=m), "up", r, 100.0) for m in (2, 3) for r in ("eu", "us")]
    rows.append(Row(now - timedelta(minutes=4), "down"))
    await insert_rows(ch, db, mid, rows, now - timedelta(seconds=10))
    await insert_rows(ch, db, mid, rows)

    stats = (await api.call("GET", f"/api/v1/monitors/{mid}/stats?window={window}")).body

    raw = await raw_stats(ch, db, mid, window)
    assert (stats["checks"], stats["failures"]) == (raw["total"]["checks"], 1) == (5, 1)
    assert stats["uptime_pct"] == 80.0
    assert {k: v["checks"] for k, v in stats["by_region"].items()} == {"eu": 3, "us": 2}
    # Identical latencies: a twice-counted answer cannot move these.
    assert stats["latency_ms"] == {"avg": 100.0, "p50": 100.0, "p95": 100.0, "p99": 100.0}


async def test_a_slot_seen_down_then_up_counts_once_as_answered(api, ch, settings):
    db = settings.clickhouse_database
    mid = (await api.monitor())["id"]
    at = datetime.now(UTC) - timedelta(minutes=10)
    await insert_rows(ch, db, mid, [Row(at, "down")])
    await insert_rows(ch, db, mid, [Row(at, "up", latency_ms=40.0)])

    stats = (await api.call("GET", f"/api/v1/monitors/{mid}/stats?window=1h")).body

    assert (stats["checks"], stats["failures"], stats["uptime_pct"]) == (1, 0, 100.0)
    assert stats["latency_ms"]["avg"] == 40.0
