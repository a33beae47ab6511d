"""The scheduler against real Postgres and NATS: snapshot, stream follow, dedup."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import os
import subprocess
import sys
import time
import uuid
from collections import Counter
from datetime import UTC, datetime

import msgspec
import pytest

from services.scheduler.main import main as scheduler_main
from services.scheduler.slots import phase_s, slot_at
from shared import bus, logs, service, topology
from shared.events import MonitorStateChanged, MonitorUpserted, due_decoder
from shared.monitors import Monitor
from tests.conftest import eventually, settings_env, store_monitor


def make_monitor(**kw) -> Monitor:
    now = datetime.now(UTC)
    fields = dict(
        id=str(uuid.uuid4()),
        name="m",
        kind="http",
        target="http://127.0.0.1/",
        interval_s=1,
        timeout_s=0.5,
        created_at=now,
        updated_at=now,
    )
    return Monitor(**{**fields, **kw})


class Running:
    def __init__(self, settings, nc, js) -> None:
        self.stop = asyncio.Event()
        ctx = service.Context("scheduler", settings, nc, js, self.stop, logs.get("scheduler"))
        self.task = asyncio.create_task(scheduler_main(ctx))

    async def close(self) -> None:
        self.stop.set()
        await asyncio.wait_for(self.task, 10)


async def due_checks(js) -> list:
    info = await js.stream_info("CHECKS")
    if not info.state.messages:
        return []
    out = []
    for seq in range(info.state.first_seq, info.state.last_seq + 1):
        msg = await js.get_msg("CHECKS", seq)
        out.append((msg.headers["Nats-Msg-Id"], due_decoder.decode(msg.data)))
    return out


@pytest.fixture
async def running(settings, nc, js):
    runs: list[Running] = []

    def start() -> Running:
        runs.append(Running(settings, nc, js))
        return runs[-1]

    yield start
    for r in runs:
        if not r.task.done():
            await r.close()


async def test_monitors_in_postgres_are_due_once_per_region_and_interval(pool, js, running):
    m = make_monitor(regions=["eu", "us"])
    await store_monitor(pool, m)
    running()
    dues = await eventually(lambda: _at_least(due_checks(js), 4), timeout=10)
    ids = [msg_id for msg_id, _ in dues]
    assert len(ids) == len(set(ids))
    first = dues[0][1]
    assert first.monitor_id == m.id and first.check_id == f"{m.id}:{first.slot}"
    assert {d.region for _, d in dues} == {"eu", "us"}
    assert {msg_id for msg_id, d in dues} == {f"{d.check_id}:{d.region}" for _, d in dues}
    slots = sorted({d.slot for _, d in dues})
    assert slots == list(range(slots[0], slots[0] + len(slots)))
    assert all((d.deadline - d.scheduled_at).total_seconds() == 1 for _, d in dues)


async def test_monitor_events_from_the_stream_change_the_schedule(pool, js, running):
    run = running()
    await asyncio.sleep(0.2)  # the scheduler subscribes to MONITORS before reading Postgres
    m = make_monitor()
    await bus.publish(js, topology.monitor_subject("upserted", m.id), MonitorUpserted(monitor=m))
    await eventually(lambda: _at_least(due_checks(js), 2), timeout=10)
    paused = msgspec.structs.replace(m, version=2, paused=True)
    await bus.publish(
        js, topology.monitor_subject("upserted", m.id), MonitorUpserted(monitor=paused)
    )
    await asyncio.sleep(0.2)
    count = len(await due_checks(js))
    await asyncio.sleep(2.5)
    assert len(await due_checks(js)) == count
    await run.close()


async def test_restarted_scheduler_republishes_the_current_slot_as_a_duplicate(pool, js, running):
    await store_monitor(pool, make_monitor(interval_s=3600, timeout_s=10))
    first = running()
    await eventually(lambda: _at_least(due_checks(js), 1), timeout=10)
    await first.close()
    second = running()
    await asyncio.sleep(1.0)
    await second.close()
    assert len(await due_checks(js)) == 1


async def _at_least(awaitable, n: int):
    items = await awaitable
    return items if len(items) >= n else None


async def test_failing_monitor_is_scheduled_at_its_retry_interval(pool, js, running):
    m = make_monitor(interval_s=60, timeout_s=5, retry_interval_s=1)
    await store_monitor(pool, m)
    running()
    await eventually(lambda: _at_least(due_checks(js), 1), timeout=10)
    change = MonitorStateChanged(monitor_id=m.id, status="up", failing=True)
    await bus.publish(js, topology.incident_subject("state", m.id), change)

    async def retries():
        fast = [d for _, d in await due_checks(js) if (d.deadline - d.scheduled_at).seconds == 1]
        return fast if len(fast) >= 3 else None

    fast = await eventually(retries, timeout=10)
    spacing = {
        (b.scheduled_at - a.scheduled_at).total_seconds() for a, b in itertools.pairwise(fast)
    }
    assert spacing == {1.0}


async def lease_owners(js) -> Counter:
    kv = await js.key_value("upmon_scheduler_leases")
    try:
        keys = await kv.keys()
    except Exception:
        return Counter()
    owners = Counter()
    for key in keys:
        if key.startswith("p"):
            with contextlib.suppress(Exception):
                owners[(await kv.get(key)).value] += 1
    return owners


async def test_two_replicas_share_partitions_and_a_killed_one_is_taken_over(
    pool, js, settings, running, tmp_path
):
    monitors = [make_monitor(interval_s=10, timeout_s=5) for _ in range(40)]
    for m in monitors:
        await store_monitor(pool, m)
    running()
    env = {**os.environ, **settings_env(settings), "UPMON_REPLICA_ID": "doomed"}
    other = subprocess.Popen(
        [sys.executable, "-m", "cli.main", "service", "scheduler"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        owners = await eventually(
            lambda: _when(lease_owners(js), lambda o: len(o) == 2 and sum(o.values()) == 64),
            timeout=20,
        )
        assert sorted(owners.values()) == [32, 32]
    finally:
        other.kill()
        other.wait(10)
    killed = time.monotonic()
    await eventually(
        lambda: _when(lease_owners(js), lambda o: len(o) == 1 and sum(o.values()) == 64),
        timeout=20,
    )
    print(f"partitions of a killed scheduler taken over in {time.monotonic() - killed:.1f}s")
    now = time.time()

    async def every_current_slot_published():
        published = {(d.monitor_id, d.slot) for _, d in await due_checks(js)}
        current = {(m.id, slot_at(now, 10, phase_s(m.id, 10))) for m in monitors}
        return current <= published

    await eventually(every_current_slot_published, timeout=10)
    dues = await due_checks(js)
    assert len({msg_id for msg_id, _ in dues}) == len(dues)


async def _when(awaitable, predicate):
    value = await awaitable
    return value if predicate(value) else None


async def test_lease_refreshes_reuse_one_watcher_and_leave_no_consumers_behind(js, running):
    running()
    stream = "KV_upmon_scheduler_leases"

    async def partitions_held():
        info = await js.stream_info(stream)
        # History 1: one message per key, 64 leases and one member key.
        return info.state.messages == 65 or None

    await eventually(partitions_held, timeout=10)
    start = (await js.stream_info(stream)).state.last_seq
    # Wait through several renewals (one a second) by watching the stream advance.
    await eventually(
        lambda: _when(js.stream_info(stream), lambda i: i.state.last_seq >= start + 4 * 65),
        timeout=15,
    )
    consumers = await js.consumers_info(stream)
    assert len(consumers) == 1, [c.name for c in consumers]
