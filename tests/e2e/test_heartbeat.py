"""Heartbeat (push) monitors through the running stack.

The tests share one stack: each makes its own monitor with a channel to its own
receiver and reads only that monitor, and starting a stack costs more than most of
them. The api restart leaves the stack as it found it."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import aiohttp
import pytest

from tests.conftest import eventually
from tests.e2e.test_check_flow import status_of
from tests.harness import Stack, stack_on_own_parts


@pytest.fixture(scope="module")
async def stack(infra, pg_template, tmp_path_factory) -> AsyncIterator[Stack]:
    async with stack_on_own_parts(infra, pg_template, tmp_path_factory.mktemp("stack")) as st:
        yield st


async def heartbeat_monitor(api, receiver, **overrides) -> dict:
    async with api.post(
        "/api/v1/channels",
        json={"name": "hook", "kind": "webhook", "config": {"url": receiver.url}},
    ) as resp:
        channel = await resp.json()
    body = {
        "name": "nightly backup",
        "kind": "heartbeat",
        "interval_s": 1,
        "failure_threshold": 1,
        "heartbeat": {"period_s": 2, "grace_s": 1},
        "channel_ids": [channel["id"]],
        **overrides,
    }
    async with api.post("/api/v1/monitors", json=body) as resp:
        assert resp.status == 201, await resp.text()
        return await resp.json()


async def ping(url: str, **query: str) -> int:
    async with aiohttp.ClientSession() as session, session.post(url, params=query) as resp:
        return resp.status


async def test_late_heartbeat_goes_down_and_a_ping_brings_it_back(stack, api, receiver):
    monitor = await heartbeat_monitor(api, receiver)
    url, mid = monitor["push_url"], monitor["id"]
    assert url.startswith(stack.api_url) and "/api/v1/push/" in url
    assert await ping(url) == 200
    await eventually(lambda: _status(api, mid, "up"), timeout=10)
    # No ping for longer than period + grace.
    await eventually(lambda: asyncio.sleep(0, receiver.events() == ["monitor.down"]), timeout=15)
    # The recorder writes the result on its own clock: the alert may come first.
    await eventually(lambda: _latest_error_kind(api, mid, ("heartbeat_late", "heartbeat_missing")))
    [missed] = await eventually(lambda: _runs(api, mid, "missed"), timeout=10)
    assert missed["late"] and "no run by" in missed["reason"]
    assert await ping(url) == 200
    await eventually(lambda: asyncio.sleep(0, len(receiver.events()) == 2), timeout=10)
    assert receiver.events() == ["monitor.down", "monitor.up"]


async def test_explicit_down_alerts_at_once(stack, api, receiver):
    monitor = await heartbeat_monitor(api, receiver, heartbeat={"period_s": 3600, "grace_s": 0})
    url = monitor["push_url"]
    assert await ping(url) == 200
    await eventually(lambda: _status(api, monitor["id"], "up"), timeout=10)
    assert await ping(url, status="down", msg="backup failed: disk full") == 200
    await eventually(lambda: asyncio.sleep(0, receiver.events() == ["monitor.down"]), timeout=5)
    doc = receiver.received[0][0]
    assert doc["result"]["error"] == "backup failed: disk full"


async def test_a_ping_survives_an_api_restart(stack, api, receiver):
    monitor = await heartbeat_monitor(api, receiver, heartbeat={"period_s": 4, "grace_s": 2})
    assert await ping(monitor["push_url"]) == 200
    stack.kill("api")
    stack.start("api")
    await stack.wait_live(["api"])
    mid = monitor["id"]

    async def judged_on_the_ping():
        async with api.get(f"/api/v1/monitors/{mid}/results?limit=1") as resp:
            items = (await resp.json())["items"]
        return items and items[0]["details"].get("last_ping_at")

    await eventually(judged_on_the_ping, timeout=10)
    assert await status_of(api, mid) == "up" and receiver.events() == []


async def test_unknown_token_and_bad_status_are_clear_errors(stack, api, receiver):
    monitor = await heartbeat_monitor(api, receiver)
    assert await ping(f"{stack.api_url}/api/v1/push/not-a-token") == 404
    assert await ping(monitor["push_url"], status="sideways") == 422


async def _runs(api, mid: str, outcome: str) -> list[dict]:
    async with api.get(f"/api/v1/monitors/{mid}/runs?outcome={outcome}") as resp:
        return (await resp.json())["items"]


async def _status(api, mid: str, want: str) -> bool:
    return await status_of(api, mid) == want


async def _latest_error_kind(api, mid: str, kinds: tuple[str, ...]) -> bool:
    async with api.get(f"/api/v1/monitors/{mid}/results?limit=1") as resp:
        items = (await resp.json())["items"]
    return bool(items) and items[0]["error_kind"] in kinds


async def test_a_timed_run_reaches_the_runs_list_through_the_recorder(stack, api, receiver):
    monitor = await heartbeat_monitor(api, receiver, heartbeat={"period_s": 3600, "grace_s": 60})
    url, mid = monitor["push_url"], monitor["id"]
    assert await ping(f"{url}/start", rid="r1") == 200
    output = b"42 rows\n"
    async with (
        aiohttp.ClientSession() as session,
        session.post(f"{url}/0", params={"rid": "r1"}, data=output) as resp,
    ):
        assert resp.status == 200 and (await resp.json())["outcome"] == "success"

    async def listed():
        async with api.get(f"/api/v1/monitors/{mid}/runs") as resp:
            return (await resp.json())["items"]

    [run] = await eventually(listed, timeout=15)
    assert (run["rid"], run["outcome"], run["exit_code"], run["output"]) == (
        "r1",
        "success",
        0,
        "42 rows",
    )
    assert run["duration_s"] is not None and run["duration_s"] >= 0
