"""The transactional outbox: rows relayed to JetStream exactly once, even when republished."""

from __future__ import annotations

import asyncio

from shared import bus, outbox, topology
from shared.events import MonitorDeleted, monitor_decoder
from tests.conftest import eventually


async def stream_events(js, stream: str = "MONITORS") -> list:
    sub = await js.pull_subscribe(f"{topology.MONITOR_EVENTS}.>", stream=stream)
    try:
        msgs = await sub.fetch(100, timeout=1)
    except TimeoutError:
        return []
    finally:
        await sub.unsubscribe()
    return [monitor_decoder.decode(m.data) for m in msgs]


async def test_committed_rows_are_published_with_the_event_id_then_deleted(pool, js):
    event = MonitorDeleted(monitor_id="m1", version=2)
    async with pool.acquire() as conn, conn.transaction():
        await outbox.enqueue(conn, topology.monitor_subject("deleted", "m1"), event)
    assert await outbox.relay_once(pool, js) == 1
    assert await pool.fetchval("SELECT count(*) FROM outbox") == 0
    [published] = await stream_events(js)
    assert published == event


async def test_rolled_back_rows_are_never_published(pool, js):
    try:
        async with pool.acquire() as conn, conn.transaction():
            await outbox.enqueue(
                conn, "monitors.events.deleted.m1", MonitorDeleted(monitor_id="m1", version=1)
            )
            raise RuntimeError("the change failed")
    except RuntimeError:
        pass
    assert await outbox.relay_once(pool, js) == 0
    assert await stream_events(js) == []


async def test_republish_after_a_crash_before_delete_is_dropped(pool, js):
    event = MonitorDeleted(monitor_id="m1", version=1)
    async with pool.acquire() as conn, conn.transaction():
        await outbox.enqueue(conn, topology.monitor_subject("deleted", "m1"), event)
    # The relay published, then died before deleting the row.
    await bus.publish(js, topology.monitor_subject("deleted", "m1"), event)
    assert await outbox.relay_once(pool, js) == 1
    assert len(await stream_events(js)) == 1


async def test_relay_is_woken_by_notify(pool, js, settings):
    stop = asyncio.Event()
    task = asyncio.create_task(outbox.run_relay(pool, settings.pg_dsn, js, stop, poll_s=30))
    await asyncio.sleep(0.3)  # the listener connects; with a 30 s poll only NOTIFY can wake it
    async with pool.acquire() as conn, conn.transaction():
        await outbox.enqueue(
            conn,
            topology.monitor_subject("deleted", "m9"),
            MonitorDeleted(monitor_id="m9", version=1),
        )
    await eventually(lambda: stream_events(js), timeout=5)
    stop.set()
    await asyncio.wait_for(task, 5)
