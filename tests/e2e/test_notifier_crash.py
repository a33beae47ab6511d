"""kill -9 of the notifier at random points while a target flaps: no incident
transition is lost, and a channel sees a delivery id twice only if the process
died between sending it and recording it (at most once per kill)."""

from __future__ import annotations

import asyncio
import random
from collections import Counter

from tests.conftest import eventually
from tests.e2e.test_check_flow import create_monitor, status_of


async def test_notifier_killed_while_a_target_flaps_loses_and_doubles_nothing(
    stack, api, target, receiver, pool
):
    async with api.post(
        "/api/v1/channels",
        json={"name": "hook", "kind": "webhook", "config": {"url": receiver.url}},
    ) as resp:
        channel = (await resp.json())["id"]
    monitor = await create_monitor(
        api, target.url, failure_threshold=1, success_threshold=1, channel_ids=[channel]
    )
    mid = monitor["id"]
    rng = random.Random(7)
    kills = 0
    for _ in range(4):
        target.healthy = not target.healthy
        await asyncio.sleep(rng.uniform(0.3, 2.0))  # a random point in the notifier's work
        stack.kill("notifier")
        kills += 1
        stack.start("notifier")
        await asyncio.sleep(rng.uniform(1.0, 2.5))  # let the target's new state be observed
    target.healthy = True
    await stack.wait_live(["notifier"])
    await eventually(lambda: _is(status_of(api, mid), "up"), timeout=30)

    async def all_delivered():
        rows = await pool.fetch(
            "SELECT id::text, status FROM incidents WHERE monitor_id = $1::uuid", mid
        )
        want = {("monitor.down", r["id"]) for r in rows} | {
            ("monitor.up", r["id"]) for r in rows if r["status"] == "resolved"
        }
        got = {(doc["event"], doc["incident"]["id"]) for doc, _, _ in receiver.received}
        return rows and all(r["status"] == "resolved" for r in rows) and got == want

    await eventually(all_delivered, timeout=60)
    ids = Counter(headers["X-Upmon-Delivery"] for _, headers, _ in receiver.received)
    doubled = sum(n - 1 for n in ids.values())
    assert doubled <= kills, ids
    # Each incident was opened once: one down per incident, never two incidents at once.
    downs = [
        doc["incident"]["id"] for doc, _, _ in receiver.received if doc["event"] == "monitor.down"
    ]
    assert len(set(downs)) == await pool.fetchval(
        "SELECT count(*) FROM incidents WHERE monitor_id = $1::uuid", mid
    )


async def _is(awaitable, value) -> bool:
    return (await awaitable) == value
