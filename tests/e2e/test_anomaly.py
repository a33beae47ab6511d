"""Anomaly detection through the running stack: a local target whose latency jumps from
5 ms to 200 ms gets exactly one `anomaly` incident and one webhook, its status stays up,
and the anomaly clears (with its own webhook) once the target is fast again."""

from __future__ import annotations

import msgspec
import pytest

from tests.conftest import eventually
from tests.harness import running_stack


@pytest.fixture
async def fast_stack(settings, js, tmp_path):
    # Passes every second over 6-second windows: the test's minutes are seconds.
    s = msgspec.structs.replace(
        settings, anomaly_every_s=1.0, anomaly_window_s=6.0, anomaly_lag_s=1.0
    )
    async with running_stack(s, js, tmp_path) as st:
        yield st


@pytest.fixture
async def fast_api(fast_stack):
    import aiohttp
    import asyncpg

    from services.api.keys import create_api_key

    conn = await asyncpg.connect(fast_stack.settings.pg_dsn)
    try:
        _, key = await create_api_key(conn, "e2e", "admin")
    finally:
        await conn.close()
    headers = {"Authorization": f"Bearer {key}"}
    async with aiohttp.ClientSession(base_url=fast_stack.api_url, headers=headers) as session:
        yield session


async def post(api, path: str, body: dict) -> dict:
    async with api.post(path, json=body) as resp:
        assert resp.status == 201, await resp.text()
        return await resp.json()


async def test_a_latency_jump_opens_one_anomaly_and_its_recovery_clears_it(
    fast_api, target, receiver
):
    api = fast_api
    target.delay_s = 0.005
    hook = await post(
        api,
        "/api/v1/channels",
        {
            "name": "hook",
            "kind": "webhook",
            "config": {"url": receiver.url},
            "events": ["down", "up", "anomaly"],
        },
    )
    assert hook["events"] == ["anomaly", "down", "up"]
    monitor = await post(
        api,
        "/api/v1/monitors",
        {
            "name": "slowing",
            "kind": "http",
            "target": target.url,
            "interval_s": 1,
            "timeout_s": 0.9,
            "channel_ids": [hook["id"]],
            "anomaly": {"min_samples": 15, "min_consecutive": 2},
        },
    )

    async def checked(n: int):
        path = f"/api/v1/monitors/{monitor['id']}/results?limit=100"
        async with api.get(path) as resp:
            return len((await resp.json())["items"]) >= n

    await eventually(lambda: checked(18), timeout=40)
    assert receiver.events() == []
    target.delay_s = 0.2

    async def anomalies():
        path = f"/api/v1/incidents?monitor_id={monitor['id']}"
        async with api.get(path) as resp:
            return [i for i in (await resp.json())["items"] if i["kind"] == "anomaly"]

    (incident,) = await eventually(anomalies, timeout=30)
    assert incident["metric"] == "latency_p50" and incident["status"] == "open"
    await eventually(lambda: _got(receiver, "anomaly.detected"), timeout=15)
    async with api.get(f"/api/v1/monitors/{monitor['id']}") as resp:
        assert (await resp.json())["status"] == "up"

    target.delay_s = 0.005
    await eventually(lambda: _got(receiver, "anomaly.cleared"), timeout=30)
    assert receiver.events() == ["anomaly.detected", "anomaly.cleared"]
    (incident,) = await anomalies()
    assert incident["status"] == "resolved" and incident["resolved_by"] == "auto"
    doc = receiver.received[0][0]
    assert doc["anomaly"]["metric"] == "latency_p50" and doc["anomaly"]["baseline"] < 50


async def _got(receiver, event: str) -> bool:
    return event in receiver.events()
