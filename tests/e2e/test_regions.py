"""A monitor checked from several regions: one due check per region, one durable
consumer per region shared by that region's replicas."""

from __future__ import annotations

from collections import Counter

from tests.conftest import eventually
from tests.e2e.test_check_flow import create_monitor


async def test_each_region_checks_once_per_slot_with_replicas_sharing_the_work(
    stack, api, target, js, ch
):
    stack.start("executor", replica="executor-eu-1", UPMON_REGION="eu")
    stack.start("executor", replica="executor-eu-2", UPMON_REGION="eu")
    stack.start("executor", replica="executor-us", UPMON_REGION="us")
    monitor = await create_monitor(api, target.url, regions=["eu", "us"], interval_s=1)
    mid = monitor["id"]

    async def results():
        async with api.get(f"/api/v1/monitors/{mid}/results?limit=500") as resp:
            items = (await resp.json())["items"]
        per_slot = Counter(r["check_id"] for r in items)
        regions = Counter(r["region"] for r in items)
        full = [slot for slot, n in per_slot.items() if n == 2]
        return items if len(full) >= 6 and set(regions) == {"eu", "us"} else None

    items = await eventually(results, timeout=30)
    # Exactly one result per (slot, region): replicas of a region never both check a slot.
    keys = Counter((r["check_id"], r["region"]) for r in items)
    assert max(keys.values()) == 1
    eu_executors = {info.name: info.num_ack_pending for info in await js.consumers_info("CHECKS")}
    assert {"executor-eu", "executor-us"} <= set(eu_executors)
