"""Results applied to monitor_state and incidents in real Postgres, with outbox events."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from services.notifier.incidents import apply_batch
from shared.events import (
    CheckResult,
    IncidentOpened,
    IncidentResolved,
    MonitorStateChanged,
    any_decoder,
)
from shared.monitors import Monitor
from tests.conftest import store_monitor

T0 = datetime(2026, 1, 1, tzinfo=UTC)


@pytest.fixture
async def monitor(pool) -> Monitor:
    m = Monitor(
        id=str(uuid.uuid4()),
        name="shop",
        kind="http",
        target="http://127.0.0.1/",
        interval_s=60,
        timeout_s=5,
        failure_threshold=2,
        success_threshold=1,
        channel_ids=["c1"],
        created_at=T0,
        updated_at=T0,
    )
    await store_monitor(pool, m)
    return m


def result(m: Monitor, slot: int, status: str, region: str = "default") -> CheckResult:
    at = T0 + timedelta(minutes=slot)
    return CheckResult(
        check_id=f"{m.id}:{slot}",
        monitor_id=m.id,
        region=region,
        scheduled_at=at,
        checked_at=at,
        status=status,
        error="HTTP 503" if status == "down" else None,
    )


async def apply(pool, results):
    async with pool.acquire() as conn, conn.transaction():
        await apply_batch(conn, results)


async def outbox_events(pool, kinds=(IncidentOpened, IncidentResolved)) -> list:
    rows = await pool.fetch("SELECT payload FROM outbox ORDER BY id")
    return [e for r in rows if isinstance(e := any_decoder.decode(r["payload"]), kinds)]


async def test_threshold_failures_open_one_incident_with_an_outbox_event(pool, monitor):
    await apply(pool, [result(monitor, i, s) for i, s in enumerate(["up", "down", "down", "down"])])
    state = await pool.fetchrow("SELECT * FROM monitor_state")
    assert state["status"] == "down" and state["consecutive_failures"] == 3
    [incident] = await pool.fetch("SELECT * FROM incidents")
    assert incident["status"] == "open" and incident["cause"] == "HTTP 503"
    assert state["open_incident_id"] == incident["id"]
    [event] = await outbox_events(pool)
    assert type(event).__name__ == "IncidentOpened" and event.channel_ids == ["c1"]
    assert event.incident.id == str(incident["id"])


async def test_recovery_resolves_the_incident_across_batches(pool, monitor):
    await apply(pool, [result(monitor, 0, "down"), result(monitor, 1, "down")])
    await apply(pool, [result(monitor, 2, "up")])
    [incident] = await pool.fetch("SELECT * FROM incidents")
    assert incident["status"] == "resolved" and incident["resolved_by"] == "auto"
    kinds = [type(e).__name__ for e in await outbox_events(pool)]
    assert kinds == ["IncidentOpened", "IncidentResolved"]
    assert await pool.fetchval("SELECT open_incident_id FROM monitor_state") is None


async def test_duplicate_and_older_results_change_nothing(pool, monitor):
    await apply(pool, [result(monitor, 5, "down")])
    await apply(pool, [result(monitor, 5, "down"), result(monitor, 3, "down")])
    state = await pool.fetchrow("SELECT * FROM monitor_state")
    assert state["consecutive_failures"] == 1 and state["status"] == "pending"
    assert await pool.fetchval("SELECT count(*) FROM incidents") == 0


async def test_results_of_a_deleted_monitor_are_ignored(pool, monitor):
    await pool.execute("UPDATE monitors SET deleted_at = now()")
    await apply(pool, [result(monitor, 0, "down"), result(monitor, 1, "down")])
    assert await pool.fetchval("SELECT count(*) FROM monitor_state") == 0


async def test_failing_short_of_down_is_announced_to_the_scheduler(pool, monitor):
    await apply(pool, [result(monitor, 0, "up")])
    await apply(pool, [result(monitor, 1, "down")])
    await apply(pool, [result(monitor, 2, "down")])
    await apply(pool, [result(monitor, 3, "up")])
    changes = await outbox_events(pool, MonitorStateChanged)
    assert [(c.status, c.failing) for c in changes] == [
        ("up", False),
        ("up", True),
        ("down", False),
        ("up", False),
    ]
