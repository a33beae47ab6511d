"""The consumer runner on a real nats-server: acks, redelivery, backoff, dead letters."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import msgspec
import pytest
from nats.js.api import StreamConfig

from shared import bus, runner, topology
from shared.runner import Backoff, Consumer, Reject, Retry, Unavailable
from shared.topology import ConsumerSpec
from tests.conftest import eventually

SPEC = ConsumerSpec("TEST", "worker", "test.>", ack_wait_s=1.0)
FAST = Backoff(base_s=0.05, max_s=0.2, jitter=0)
DICT = msgspec.json.Decoder(dict)


@pytest.fixture
async def stream(js):
    await js.add_stream(StreamConfig(name="TEST", subjects=["test.>"], duplicate_window=60))
    await topology.ensure_consumer(js, SPEC)
    return js


async def put(js, n: int, msg_id: str | None = None) -> None:
    headers = {"Nats-Msg-Id": msg_id} if msg_id else None
    await js.publish(f"test.{n}", msgspec.json.encode({"n": n}), headers=headers)


class Running:
    """Runs a consumer in the background for one test."""

    def __init__(self, js, consumer: Consumer) -> None:
        self.stop = asyncio.Event()
        self.task = asyncio.create_task(runner.run(js, consumer, self.stop))

    async def close(self) -> None:
        self.stop.set()
        await asyncio.wait_for(self.task, 10)


async def dead_letters(js) -> list:
    sub = await js.pull_subscribe("dlq.>", stream="DLQ")
    try:
        return await sub.fetch(100, timeout=1)
    except TimeoutError:
        return []
    finally:
        await sub.unsubscribe()


async def consumer_idle(js) -> bool:
    info = await js.consumer_info("TEST", "worker")
    return info.num_pending == 0 and info.num_ack_pending == 0


async def test_handled_message_is_acked_once(stream):
    seen = []

    async def handler(env):
        seen.append(env.event["n"])

    run = Running(stream, Consumer(spec=SPEC, decoder=DICT, handler=handler))
    for n in range(5):
        await put(stream, n)
    await eventually(lambda: consumer_idle(stream))
    await run.close()
    assert sorted(seen) == [0, 1, 2, 3, 4]


async def test_killed_consumer_process_message_is_redelivered(stream, nats_url, tmp_path: Path):
    marker = tmp_path / "started"
    worker = subprocess.Popen(
        [sys.executable, "-m", "tests.integration.crashing_worker", nats_url, str(marker)],
        cwd=Path(__file__).parents[2],
        start_new_session=True,
    )
    try:
        await put(stream, 42)
        await eventually(lambda: asyncio.sleep(0, marker.exists()), timeout=20)
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(10)
    finally:
        if worker.poll() is None:
            worker.kill()
    attempts = []

    async def handler(env):
        attempts.append((env.event["n"], env.attempts))

    run = Running(stream, Consumer(spec=SPEC, decoder=DICT, handler=handler))
    await eventually(lambda: asyncio.sleep(0, attempts))
    await run.close()
    assert attempts == [(42, 2)]


async def test_nak_delay_is_honoured(stream):
    times: list[float] = []

    async def handler(env):
        times.append(time.monotonic())
        if len(times) == 1:
            raise Retry("receiver busy", delay=1.5)

    run = Running(stream, Consumer(spec=SPEC, decoder=DICT, handler=handler, backoff=FAST))
    await put(stream, 1)
    await eventually(lambda: asyncio.sleep(0, len(times) == 2))
    await run.close()
    assert times[1] - times[0] >= 1.4


async def test_backoff_grows_exponentially_and_is_capped():
    b = Backoff(base_s=1, max_s=10, jitter=0)
    assert [b.delay(a) for a in range(1, 7)] == [1, 2, 4, 8, 10, 10]


async def test_poison_message_lands_in_dlq_after_max_deliveries(stream):
    attempts = []

    async def handler(env):
        attempts.append(env.attempts)
        raise ValueError("cannot handle this one")

    consumer = Consumer(spec=SPEC, decoder=DICT, handler=handler, max_deliver=3, backoff=FAST)
    run = Running(stream, consumer)
    await put(stream, 7)
    dead = await eventually(lambda: dead_letters(stream))
    await eventually(lambda: consumer_idle(stream))
    await run.close()
    assert attempts == [1, 2, 3]
    [msg] = dead
    assert msg.subject == "dlq.test.7"
    assert msgspec.json.decode(msg.data) == {"n": 7}
    assert msg.headers[runner.H_ATTEMPTS] == "3"
    assert msg.headers[runner.H_ERROR] == "cannot handle this one"
    assert msg.headers[runner.H_STREAM] == "TEST"
    assert msg.headers[runner.H_CONSUMER] == "worker"


async def test_rejected_message_is_dead_lettered_without_retry(stream):
    attempts = []

    async def handler(env):
        attempts.append(env.attempts)
        raise Reject("receiver said 400")

    run = Running(stream, Consumer(spec=SPEC, decoder=DICT, handler=handler, backoff=FAST))
    await put(stream, 1)
    [msg] = await eventually(lambda: dead_letters(stream))
    await run.close()
    assert attempts == [1]
    assert msg.headers[runner.H_ERROR] == "receiver said 400"


async def test_undecodable_message_is_dead_lettered_at_once(stream):
    called = []

    async def handler(env):
        called.append(env)

    decoder = msgspec.json.Decoder(list[int])
    run = Running(stream, Consumer(spec=SPEC, decoder=decoder, handler=handler))
    await stream.publish("test.bad", b"{not json")
    [msg] = await eventually(lambda: dead_letters(stream))
    await run.close()
    assert called == []
    assert msg.headers[runner.H_ERROR].startswith("undecodable message")


async def test_outage_holds_the_message_without_spending_attempts(stream):
    attempts = []

    async def handler(env):
        attempts.append(env.attempts)
        if len(attempts) < 4:
            raise Unavailable("database down")

    consumer = Consumer(spec=SPEC, decoder=DICT, handler=handler, max_deliver=2, backoff=FAST)
    run = Running(stream, consumer)
    await put(stream, 1)
    await eventually(lambda: consumer_idle(stream))
    await run.close()
    assert attempts == [1, 1, 1, 1]
    assert await dead_letters(stream) == []


async def test_long_handler_is_kept_alive_not_redelivered(stream):
    attempts = []

    async def handler(env):
        attempts.append(env.attempts)
        await asyncio.sleep(2.5)  # the work itself: longer than ack_wait (1 s)

    run = Running(stream, Consumer(spec=SPEC, decoder=DICT, handler=handler))
    await put(stream, 1)
    await eventually(lambda: consumer_idle(stream), timeout=10)
    await run.close()
    assert attempts == [1]


async def test_batch_with_one_poison_message_delivers_the_rest(stream):
    stored: list[int] = []

    async def batch_handler(envs):
        if any(e.event["n"] == 3 for e in envs):
            raise ValueError("row 3 is invalid")
        stored.extend(e.event["n"] for e in envs)

    consumer = Consumer(
        spec=SPEC, decoder=DICT, batch_handler=batch_handler, max_deliver=2, backoff=FAST
    )
    for n in range(6):
        await put(stream, n)
    run = Running(stream, consumer)
    [msg] = await eventually(lambda: dead_letters(stream))
    await eventually(lambda: consumer_idle(stream))
    await run.close()
    assert sorted(stored) == [0, 1, 2, 4, 5]
    assert msg.subject == "dlq.test.3"


async def test_batch_lingers_to_take_messages_that_arrive_meanwhile(stream):
    batches: list[list[int]] = []

    async def batch_handler(envs):
        batches.append([e.event["n"] for e in envs])

    spec = ConsumerSpec("TEST", "lingering", "test.>", ack_wait_s=30.0)
    await topology.ensure_consumer(stream, spec)
    consumer = Consumer(spec=spec, decoder=DICT, batch_handler=batch_handler, linger=3.0)
    run = Running(stream, consumer)
    await put(stream, 0)
    # Fetched and lingering: the rest arrives while the first waits for company.
    await eventually(lambda: _ack_pending(stream, spec, 1))
    for n in range(1, 5):
        await put(stream, n)
    await eventually(lambda: _ack_pending(stream, spec, 0), timeout=10)
    await run.close()
    assert batches == [[0, 1, 2, 3, 4]]


async def test_linger_stays_well_inside_ack_wait(stream):
    """A linger longer than ack_wait must not see its first messages come back."""
    batches: list[list[int]] = []

    async def batch_handler(envs):
        batches.append([e.event["n"] for e in envs])

    consumer = Consumer(spec=SPEC, decoder=DICT, batch_handler=batch_handler, linger=5.0)
    run = Running(stream, consumer)
    await put(stream, 0)
    await eventually(lambda: consumer_idle(stream), timeout=10)
    await run.close()
    assert batches == [[0]]


async def test_full_batch_does_not_linger(stream):
    handled = asyncio.Event()

    async def batch_handler(envs):
        handled.set()

    consumer = Consumer(spec=SPEC, decoder=DICT, batch_handler=batch_handler, batch=3, linger=60.0)
    for n in range(3):
        await put(stream, n)
    run = Running(stream, consumer)
    await asyncio.wait_for(handled.wait(), 10)
    await run.close()


async def _ack_pending(js, spec: ConsumerSpec, n: int) -> bool:
    info = await js.consumer_info("TEST", spec.durable)
    return info.num_ack_pending == n and info.num_pending == 0


async def test_graceful_stop_finishes_in_flight_work(stream):
    started, finished = asyncio.Event(), []

    async def handler(env):
        started.set()
        await asyncio.sleep(0.5)
        finished.append(env.event["n"])

    run = Running(stream, Consumer(spec=SPEC, decoder=DICT, handler=handler))
    await put(stream, 9)
    await asyncio.wait_for(started.wait(), 10)
    await run.close()
    assert finished == [9]
    assert await consumer_idle(stream)


async def test_duplicate_publish_is_dropped(stream):
    await put(stream, 1, msg_id="same-id")
    ack = await stream.publish("test.1", b"{}", headers={"Nats-Msg-Id": "same-id"})
    assert ack.duplicate
    assert (await stream.stream_info("TEST")).state.messages == 1


async def test_publish_many_waits_for_every_ack(js, settings):
    from shared.events import MonitorDeleted

    events = [MonitorDeleted(monitor_id=f"m{i}", version=1) for i in range(50)]
    acks = await bus.publish_many(
        js, [(topology.monitor_subject("deleted", e.monitor_id), e, None) for e in events]
    )
    assert len(acks) == 50 and not any(a.duplicate for a in acks)
    assert (await js.stream_info("MONITORS")).state.messages == 50
