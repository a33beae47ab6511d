"""The notifier's alerting decisions on real NATS and Postgres: results go in as
events, notifications come out at a local webhook receiver."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime, timedelta

import msgspec
import pytest

from services.notifier import sweeper
from services.notifier.incidents import apply_batch
from services.notifier.main import main as notifier_main
from shared import bus, logs, service, topology
from shared.events import CheckResult, IncidentEscalated, IncidentReminder, any_decoder
from shared.maintenance import Windows
from shared.monitors import Escalation, Monitor
from tests.conftest import eventually, store_monitor

T0 = datetime.now(UTC).replace(microsecond=0)


@pytest.fixture
async def start_notifier(settings, nc, js):
    stop = asyncio.Event()
    tasks = []
    s = msgspec.structs.replace(settings, outbox_poll_s=0.1)

    def start() -> None:
        ctx = service.Context("notifier", s, nc, js, stop, logs.get("notifier"))
        tasks.append(asyncio.create_task(notifier_main(ctx)))

    yield start
    stop.set()
    await asyncio.wait_for(asyncio.gather(*tasks), 15)


@pytest.fixture
async def notifier(start_notifier):
    start_notifier()


async def add_channel(pool, url: str) -> str:
    channel_id = uuid.uuid4()
    await pool.execute(
        "INSERT INTO channels (id, name, kind, config) VALUES ($1, 'hook', 'webhook', $2)",
        channel_id,
        {"url": url},
    )
    return str(channel_id)


async def add_monitor(pool, **kw) -> Monitor:
    m = Monitor(
        id=str(uuid.uuid4()),
        name="shop",
        kind="http",
        target="http://127.0.0.1/",
        timeout_s=5,
        created_at=T0,
        updated_at=T0,
        **{"failure_threshold": 1, "success_threshold": 1, **kw},
    )
    await store_monitor(pool, m)
    return m


async def report(js, m: Monitor, slot: int, **statuses: str) -> None:
    """One result per region for one slot, as executors would publish them."""
    at = T0 + timedelta(seconds=slot)
    for region, status in statuses.items():
        result = CheckResult(
            check_id=f"{m.id}:{slot}",
            monitor_id=m.id,
            region=region,
            scheduled_at=at,
            checked_at=at,
            status=status,
            error="HTTP 503" if status == "down" else None,
        )
        await bus.publish(js, topology.result_subject(region, m.id), result, f"{slot}:{region}")


async def state_of(pool, m: Monitor) -> str | None:
    return await pool.fetchval(
        "SELECT status FROM monitor_state WHERE monitor_id = $1", uuid.UUID(m.id)
    )


async def settled(js) -> bool:
    info = await js.consumer_info("RESULTS", "notifier-state")
    return info.num_pending == 0 and info.num_ack_pending == 0


async def test_two_of_three_regions_down_alerts_naming_them(pool, js, notifier, receiver):
    m = await add_monitor(
        pool, regions=["eu", "us", "ap"], channel_ids=[await add_channel(pool, receiver.url)]
    )
    await report(js, m, 1, eu="up", us="up", ap="up")
    await report(js, m, 2, eu="down", us="up", ap="up")
    await eventually(lambda: _is(state_of(pool, m), "degraded"))
    await report(js, m, 3, eu="down", us="down", ap="up")
    await eventually(lambda: asyncio.sleep(0, receiver.events() == ["monitor.down"]))
    doc = receiver.received[0][0]
    assert sorted(doc["incident"]["regions"]) == ["eu", "us"]
    incident = await pool.fetchrow("SELECT * FROM incidents")
    assert sorted(incident["regions"]) == ["eu", "us"]


async def test_one_of_three_regions_down_does_not_alert(pool, js, notifier, receiver):
    m = await add_monitor(
        pool, regions=["eu", "us", "ap"], channel_ids=[await add_channel(pool, receiver.url)]
    )
    for slot in range(1, 6):
        await report(js, m, slot, eu="down", us="up", ap="up")
    await eventually(lambda: settled(js))
    assert await state_of(pool, m) == "degraded"
    assert await pool.fetchval("SELECT count(*) FROM incidents") == 0
    assert receiver.received == []


async def test_nothing_alerts_during_maintenance_then_the_outage_is_reported(
    pool, js, start_notifier, receiver
):
    m = await add_monitor(pool, tags=["shop"], channel_ids=[await add_channel(pool, receiver.url)])
    window = uuid.uuid4()
    await pool.execute(
        "INSERT INTO maintenance_windows (id, name, tags, starts_at, ends_at)"
        " VALUES ($1, 'deploy', '{shop}', $2, $3)",
        window,
        T0,
        T0 + timedelta(seconds=10),
    )
    # Started after the window exists: the notifier re-reads windows every few seconds.
    start_notifier()
    for slot in range(1, 5):
        await report(js, m, slot, default="down")
    await eventually(lambda: _is(state_of(pool, m), "maintenance"))
    await eventually(lambda: settled(js))
    assert receiver.received == []
    # Still down once the window is over: now it alerts.
    await report(js, m, 11, default="down")
    await eventually(lambda: asyncio.sleep(0, receiver.events() == ["monitor.down"]))


async def test_receiver_failing_twice_gets_the_message_once_with_one_delivery_id(
    pool, js, notifier, receiver
):
    receiver.statuses = [500, 500]
    m = await add_monitor(pool, channel_ids=[await add_channel(pool, receiver.url)])
    await report(js, m, 1, default="down")
    await eventually(lambda: asyncio.sleep(0, receiver.accepted() == ["monitor.down"]))
    ids = {headers["X-Upmon-Delivery"] for _, headers, _ in receiver.received}
    assert len(receiver.received) == 3 and len(ids) == 1
    attempts = await pool.fetch("SELECT attempt, outcome FROM delivery_attempts ORDER BY id")
    assert [(a["attempt"], a["outcome"]) for a in attempts] == [
        (1, "retry"),
        (2, "retry"),
        (3, "delivered"),
    ]


async def test_receiver_answering_400_sends_the_delivery_to_the_dlq(pool, js, notifier, receiver):
    receiver.statuses = [400] * 10
    m = await add_monitor(pool, channel_ids=[await add_channel(pool, receiver.url)])
    await report(js, m, 1, default="down")

    async def dead():
        info = await js.stream_info("DLQ")
        return info.state.messages

    await eventually(dead)
    msg = await js.get_msg("DLQ", 1)
    assert msg.subject.startswith("dlq.notify.deliver.webhook.")
    assert "400" in msg.headers["Upmon-Error"]
    assert len(receiver.received) == 1
    outcome = await pool.fetchval("SELECT outcome FROM delivery_attempts")
    assert outcome == "failed"


async def outbox_events(pool) -> list:
    rows = await pool.fetch("SELECT payload FROM outbox ORDER BY id")
    return [any_decoder.decode(r["payload"]) for r in rows]


async def test_reminders_and_escalation_fire_on_time(pool, js, settings):
    hook = await add_channel(pool, "http://127.0.0.1:9/hook")
    pager = await add_channel(pool, "http://127.0.0.1:9/pager")
    m = await add_monitor(
        pool,
        channel_ids=[hook],
        reminder_every_s=300,
        escalation=Escalation(after_s=600, channel_ids=[pager]),
    )
    async with pool.acquire() as conn, conn.transaction():
        down = CheckResult(
            check_id=f"{m.id}:1",
            monitor_id=m.id,
            region="default",
            scheduled_at=T0,
            checked_at=T0,
            status="down",
        )
        await apply_batch(conn, [down])
    await pool.execute("DELETE FROM outbox")
    windows = Windows()

    async def sweep(after_s: int) -> list:
        await sweeper.sweep_once(pool, windows, now=T0 + timedelta(seconds=after_s))
        events = await outbox_events(pool)
        await pool.execute("DELETE FROM outbox")
        return events

    assert await sweep(299) == []
    [reminder] = await sweep(301)
    assert isinstance(reminder, IncidentReminder) and reminder.channel_ids == [hook]
    assert await sweep(590) == []
    events = await sweep(601)
    assert [type(e) for e in events] == [IncidentReminder, IncidentEscalated]
    assert events[1].channel_ids == [pager]
    assert events[0].reminder == 2
    # Escalation happens once; an acknowledged incident is not escalated.
    assert [type(e) for e in await sweep(905)] == [IncidentReminder]
    await pool.execute("UPDATE incidents SET status = 'resolved'")
    assert await sweep(2000) == []


async def _is(awaitable, value) -> bool:
    return (await awaitable) == value
