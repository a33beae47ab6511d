"""One real check through all five services, each a separate process."""

from __future__ import annotations

import asyncio
import hashlib
import hmac

from tests.conftest import eventually

SECRET = "webhook-secret"


async def create_monitor(api, target_url: str, **overrides) -> dict:
    body = {
        "name": "local target",
        "kind": "http",
        "target": target_url,
        "interval_s": 1,
        "timeout_s": 0.8,
        "failure_threshold": 2,
        "success_threshold": 2,
        **overrides,
    }
    async with api.post("/api/v1/monitors", json=body) as resp:
        assert resp.status == 201, await resp.text()
        return await resp.json()


async def status_of(api, monitor_id: str) -> str:
    async with api.get(f"/api/v1/monitors/{monitor_id}") as resp:
        return (await resp.json())["status"]


async def slots_in_clickhouse(ch, db: str, monitor_id: str) -> tuple[int, int, int, int]:
    """(rows, rows after dedup, distinct check ids, slot span) of one monitor."""
    slot = "toUInt64(splitByChar(':', check_id)[2])"
    q = await ch.query(
        f"SELECT count(), uniqExact(check_id), max({slot}) - min({slot}) + 1"
        f" FROM `{db}`.check_results WHERE monitor_id = {{m:UUID}}",
        parameters={"m": monitor_id},
    )
    rows, distinct, span = q.result_rows[0]
    final = await ch.command(
        f"SELECT count() FROM `{db}`.check_results FINAL WHERE monitor_id = {{m:UUID}}",
        parameters={"m": monitor_id},
    )
    return rows, int(final), distinct, span


async def test_target_up_down_up_sends_exactly_one_down_and_one_up_webhook(
    stack, api, target, receiver, ch
):
    async with api.post(
        "/api/v1/channels",
        json={"name": "hook", "kind": "webhook", "config": {"url": receiver.url, "secret": SECRET}},
    ) as resp:
        assert resp.status == 201, await resp.text()
        channel = await resp.json()
    monitor = await create_monitor(api, target.url, channel_ids=[channel["id"]])
    mid = monitor["id"]

    await eventually(lambda: _is(status_of(api, mid), "up"), timeout=20)
    target.healthy = False
    await eventually(lambda: asyncio.sleep(0, receiver.events() == ["monitor.down"]), timeout=20)
    assert await status_of(api, mid) == "down"
    target.healthy = True
    await eventually(lambda: asyncio.sleep(0, len(receiver.events()) == 2), timeout=20)
    await eventually(lambda: _is(status_of(api, mid), "up"), timeout=10)
    # A few more healthy checks must not notify again.
    hits = target.hits
    await eventually(lambda: asyncio.sleep(0, target.hits >= hits + 3), timeout=15)

    assert receiver.events() == ["monitor.down", "monitor.up"]
    (down, down_headers, down_body), (up, _, _) = receiver.received
    assert down["monitor"]["id"] == mid and down["result"]["http_status"] == 503
    assert down["incident"]["id"] == up["incident"]["id"] and up["incident"]["resolved_at"]
    signature = hmac.new(SECRET.encode(), down_body, hashlib.sha256).hexdigest()
    assert down_headers["X-Upmon-Signature"] == f"sha256={signature}"

    async with api.get(f"/api/v1/incidents?monitor_id={mid}") as resp:
        [incident] = (await resp.json())["items"]
    assert incident["status"] == "resolved" and incident["id"] == down["incident"]["id"]

    # ClickHouse holds one row per check: no duplicates, no gaps between slots.
    async def settled():
        rows, final, distinct, span = await slots_in_clickhouse(
            ch, stack.settings.clickhouse_database, mid
        )
        return rows >= 8 and rows == final == distinct == span

    await eventually(settled, timeout=15)

    async with api.get(f"/api/v1/monitors/{mid}/results?limit=500") as resp:
        results = (await resp.json())["items"]
    statuses = {r["status"] for r in results}
    assert statuses == {"up", "down"}
    assert all(r["phases"]["ttfb_ms"] is not None for r in results if r["status"] == "up")
    async with api.get(f"/api/v1/monitors/{mid}/stats?window=1h") as resp:
        stats = await resp.json()
    assert stats["checks"] >= len(results) - 2  # results may grow between the two reads
    assert 0 < stats["failures"] < stats["checks"]


async def test_killed_executor_loses_no_due_check(stack, api, target, ch):
    target.delay_s = 1.0
    monitor = await create_monitor(api, target.url, interval_s=2, timeout_s=1.8)
    mid = monitor["id"]
    await eventually(lambda: _is(status_of(api, mid), "up"), timeout=20)

    target.in_flight.clear()
    await asyncio.wait_for(target.in_flight.wait(), 10)
    stack.kill("executor")  # mid-check: its due message was fetched but never acked
    await asyncio.sleep(3)  # let slots fall due while no executor runs
    stack.start("executor")
    await stack.wait_live(["executor"])

    db = stack.settings.clickhouse_database

    async def no_gaps():
        _, final, distinct, span = await slots_in_clickhouse(ch, db, mid)
        return final >= 8 and final == distinct == span

    await eventually(no_gaps, timeout=60)


async def _is(awaitable, value) -> bool:
    return (await awaitable) == value
