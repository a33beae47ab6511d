"""A regex monitor cannot stall the executor: the real executor (its consumer on
real NATS) runs a ReDoS check and an expensive one on a big body while a 1 s
monitor keeps being checked on time."""

from __future__ import annotations

import asyncio
import random
import time
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from aiohttp import web

from services.executor.main import main as executor_main
from shared import bus, logs, service, topology
from shared.events import CheckDue, CheckResult, result_decoder
from shared.kinds.http import HttpSpec
from shared.monitors import Monitor
from stack.parts import free_port

# Python's re needs seconds for this body (each extra `a` doubles it); RE2 microseconds.
REDOS_BODY = "a" * 24 + "!"
# Defeats RE2's DFA cache: most of a second of matching over 2 MB, which must run off the loop.
HEAVY_BODY = "".join(random.Random(7).choices("ab", k=2 * 1024 * 1024))
HEAVY_REGEX = "(a|b)*a(a|b){20}c"


def _text(body: str):
    async def handle(_: web.Request) -> web.Response:
        return web.Response(text=body)

    return handle


@pytest.fixture
async def pages() -> AsyncIterator[str]:
    app = web.Application()
    app.router.add_get("/ok", _text("ok"))
    app.router.add_get("/redos", _text(REDOS_BODY))
    app.router.add_get("/heavy", _text(HEAVY_BODY))
    runner = web.AppRunner(app)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    yield f"http://127.0.0.1:{port}"
    await runner.cleanup()


@pytest.fixture
async def executor(settings, nc, js) -> AsyncIterator[None]:
    stop = asyncio.Event()
    ctx = service.Context("executor", settings, nc, js, stop, logs.get("executor"))
    task = asyncio.create_task(executor_main(ctx))
    yield
    stop.set()
    await asyncio.wait_for(task, 15)


def _monitor(url: str, **spec) -> Monitor:
    now = datetime.now(UTC)
    return Monitor(
        id=str(uuid.uuid4()),
        name="regex",
        kind="http",
        target=url,
        interval_s=1 if not spec else 60,
        timeout_s=0.8 if not spec else 30,
        http=HttpSpec(**spec, max_body_bytes=8 * 1024 * 1024),
        created_at=now,
        updated_at=now,
    )


async def _due(js, monitor: Monitor, slot: int) -> None:
    now = datetime.now(UTC)
    due = CheckDue(
        check_id=f"{monitor.id}:{slot}",
        monitor_id=monitor.id,
        region="default",
        slot=slot,
        scheduled_at=now,
        deadline=now + timedelta(seconds=monitor.interval_s),
        monitor=monitor,
    )
    await bus.publish(js, topology.due_subject("default", monitor.id), due)


class Results:
    def __init__(self) -> None:
        self.arrived: dict[str, tuple[float, CheckResult]] = {}

    async def on_message(self, msg) -> None:
        result = result_decoder.decode(msg.data)
        self.arrived[result.check_id] = (time.perf_counter(), result)

    async def wait(self, check_id: str, timeout: float = 20.0) -> tuple[float, CheckResult]:
        deadline = time.perf_counter() + timeout
        while check_id not in self.arrived:
            assert time.perf_counter() < deadline, f"no result for {check_id}"
            await asyncio.sleep(0.005)
        return self.arrived[check_id]


async def _round_trip(js, results: Results, monitor: Monitor, slot: int) -> float:
    sent = time.perf_counter()
    await _due(js, monitor, slot)
    arrived, result = await results.wait(f"{monitor.id}:{slot}")
    assert result.status == "up", result
    return arrived - sent


@pytest.mark.usefixtures("executor")
async def test_a_redos_monitor_does_not_delay_a_1s_monitor(nc, js, pages):
    results = Results()
    await nc.subscribe(f"{topology.RESULTS}.default.>", cb=results.on_message)
    fast = _monitor(f"{pages}/ok")
    slow = [_monitor(f"{pages}/redos", regex="(a+)+$")]
    slow.append(_monitor(f"{pages}/heavy", regex=HEAVY_REGEX))

    alone = [await _round_trip(js, results, fast, slot) for slot in range(10)]
    for monitor in slow:
        await _due(js, monitor, 0)
    beside, slot = [], 10
    while slot < 20 or not all(f"{m.id}:0" in results.arrived for m in slow):
        beside.append(await _round_trip(js, results, fast, slot))
        slot += 1
        assert slot < 400, "the slow checks never finished"
        await asyncio.sleep(0.05)

    for monitor in slow:
        _, result = await results.wait(f"{monitor.id}:0")
        assert (result.status, result.error_kind) == ("down", "regex"), result
    print(
        f"1 s monitor round trip: alone worst {max(alone) * 1000:.1f} ms; beside a ReDoS check"
        f" and a 2 MB RE2 check worst {max(beside) * 1000:.1f} ms over {len(beside)} checks"
        " (shared machine, under load)"
    )
    assert max(beside) - max(alone) < 0.1
