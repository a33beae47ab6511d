"""GET /health/queue on real NATS: 200 while work flows and a scheduler beats, 503
naming each limit that was passed."""

from __future__ import annotations

import asyncio
import contextlib
from datetime import timedelta

import msgspec
import pytest
from aiohttp.test_utils import TestClient, TestServer

from services.api.app import build_app
from services.api.state import ApiState
from services.api.stream_window import Window, window
from shared import liveness
from shared.events import utcnow
from shared.topology import LIVENESS_BUCKET
from tests.integration.test_ops_dlq import publish_results, result


@pytest.fixture
async def scheduler_alive(js):
    stop = asyncio.Event()
    beat = asyncio.create_task(liveness.heartbeat(js, "scheduler", "s-1", stop, every_s=0.2))
    yield
    stop.set()
    with contextlib.suppress(Exception):
        await asyncio.wait_for(beat, 5)


async def health(settings, nc, js, pool, ch, **limits):
    state = ApiState(
        settings=msgspec.structs.replace(settings, **limits), pool=pool, nc=nc, js=js, ch=ch
    )
    async with (
        TestClient(TestServer(build_app(state))) as client,
        client.get("/health/queue") as resp,
    ):
        return resp.status, await resp.json()


async def test_healthy_queue_is_200_without_credentials(
    settings, nc, js, pool, ch, scheduler_alive
):
    await asyncio.sleep(0.3)

    status, body = await health(settings, nc, js, pool, ch)

    assert status == 200, body
    assert body["status"] == "ok" and body["failing"] == []
    assert body["pending"] == 0 and body["dead_letters"] == 0
    assert 0 <= body["scheduler_heartbeat_age_s"] < 5


async def test_passed_limits_are_503_and_named(settings, nc, js, pool, ch, scheduler_alive):
    await js.publish("notify.deliver.webhook.c1", b"{}")
    await js.publish("notify.deliver.webhook.c2", b"{}")
    await js.publish("dlq.checks.result.default.m1", b"{}")
    await js.publish("dlq.checks.result.default.m2", b"{}")

    status, body = await health(
        settings, nc, js, pool, ch, health_max_pending=0, health_max_dead_letters=1
    )
    assert status == 503 and body["status"] == "unhealthy"
    assert [f["check"] for f in body["failing"]] == ["UPMON_HEALTH_MAX_DEAD_LETTERS"]
    assert body["dead_letters"] == 2 and body["pending"] == 2

    status, body = await health(settings, nc, js, pool, ch, health_max_pending=1)
    assert status == 503
    failing = {f["check"]: f for f in body["failing"]}
    assert failing["UPMON_HEALTH_MAX_PENDING"]["limit"] == 1
    assert "pending" in failing["UPMON_HEALTH_MAX_PENDING"]["message"]


async def test_a_replay_reader_is_not_counted_as_backlog(api, js, scheduler_alive):
    await publish_results(js, [result("m1", n) for n in range(3)])
    before = (await api.call("GET", "/health/queue", key=None)).body["pending"]

    reader = window(js, Window("RESULTS"))
    async with contextlib.aclosing(reader):
        await anext(reader)
        during = (await api.call("GET", "/health/queue", key=None)).body["pending"]

    assert before == during == 6  # recorder and notifier-state, three each


async def test_missing_or_late_scheduler_is_503(settings, nc, js, pool, ch):
    status, body = await health(settings, nc, js, pool, ch)
    assert status == 503 and body["scheduler_heartbeat_age_s"] is None
    assert body["failing"][0]["check"] == "UPMON_HEALTH_MAX_SCHEDULER_AGE_S"

    late = utcnow() - timedelta(seconds=25)
    record = liveness.Replica(
        service="scheduler", id="s-2", host="h", pid=1, started_at=late, last_seen=late
    )
    kv = await js.key_value(LIVENESS_BUCKET)
    await kv.put(liveness.key("scheduler", "s-2"), msgspec.json.encode(record))
    status, body = await health(settings, nc, js, pool, ch)
    assert status == 503 and body["scheduler_heartbeat_age_s"] >= 25
    assert "over the limit of 20" in body["failing"][0]["message"]

    status, body = await health(settings, nc, js, pool, ch, health_max_scheduler_age_s=0)
    assert status == 200, body


async def test_every_record_just_written_is_listed_and_a_stopped_one_is_not(js):
    kv = await js.key_value(LIVENESS_BUCKET)
    now = utcnow()
    for n in range(30):
        record = liveness.Replica(
            service="executor", id=f"e-{n}", host="h", pid=n, started_at=now, last_seen=now
        )
        await kv.put(liveness.key("executor", f"e-{n}"), msgspec.json.encode(record))
        # Read at once after each write: every record so far, none missing.
        assert {r.id for r in await liveness.replicas(js)} == {f"e-{i}" for i in range(n + 1)}
    await kv.delete(liveness.key("executor", "e-0"))
    assert "e-0" not in {r.id for r in await liveness.replicas(js)}
