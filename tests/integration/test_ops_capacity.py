"""Capacity through the api and `upmon capacity`: checks offered by the stored
monitors, replicas from their liveness records, costs from their sampled history."""

from __future__ import annotations

import asyncio
import contextlib
import json

from shared import liveness, opsamples
from shared.events import utcnow
from tests.conftest import eventually
from tests.integration.test_cli import upmon


@contextlib.asynccontextmanager
async def live(js, service: str, rid: str, info: dict[str, str]):
    stop = asyncio.Event()
    beat = asyncio.create_task(liveness.heartbeat(js, service, rid, stop, every_s=0.2, info=info))
    try:
        yield
    finally:
        stop.set()
        await asyncio.wait_for(beat, 5)


async def sampled_cost(ch, settings, service: str, rid: str, cpu: float, rate: float) -> None:
    """Rows as the recorder's sampler writes them for a replica, one per 10 s bucket."""
    now = utcnow().timestamp()
    rows = []
    for n in range(3):
        at = opsamples.bucket(now - 10 * n)
        rows += [(at, "replica_cpu", service, rid, cpu), (at, "replica_rate", service, rid, rate)]
    table = f"{settings.clickhouse_database}.{opsamples.TABLE}"
    await ch.insert(table, rows, column_names=["at", "metric", "stream", "consumer", "value"])


async def test_capacity_names_the_bottleneck_from_measured_costs(api, js, ch, settings):
    for n in range(10):
        await api.monitor(name=f"eu {n}", regions=["eu"], interval_s=1, timeout_s=0.5)
    await api.monitor(name="slow", interval_s=60, timeout_s=5)
    paused = await api.monitor(name="paused", interval_s=1, timeout_s=0.5)
    await api.call("POST", f"/api/v1/monitors/{paused['id']}/pause")
    # One eu executor at 85% of a core for 10 checks/s: 85 ms of CPU per check.
    await sampled_cost(ch, settings, "executor-eu", "e1", 0.85, 10.0)

    async with live(js, "executor", "e1", {"region": "eu"}), live(js, "recorder", "r1", {}):

        async def both_live():
            # By id, not by count: a replica another test left may still be in the
            # bucket until its TTL, and counting it would let e1 be missed.
            items = (await api.call("GET", "/api/v1/ops/services")).body["items"]
            return {("executor", "e1"), ("recorder", "r1")} <= {
                (r["service"], r["id"]) for r in items
            }

        await eventually(both_live, timeout=10)
        reply = await api.call("GET", "/api/v1/ops/capacity")
        cli = upmon(settings, "capacity")
        as_json = upmon(settings, "capacity", "--json")

    assert reply.status == 200, reply.body
    body = reply.body
    offered = {o["region"]: o for o in body["offered"]}
    assert offered["eu"]["checks_per_s"] == 10.0 and offered["eu"]["monitors"] == 10
    assert offered["default"]["monitors"] == 1 and body["checks_per_s"] == round(10 + 1 / 60, 3)
    assert body["bottleneck"] == "executor-eu"
    assert body["summary"] == "executor-eu: 1 replica(s) at 85% -> add 1"
    eu = next(s for s in body["services"] if s["service"] == "executor-eu")
    assert eu["measured"] and eu["cpu_per_msg_us"] == 85000.0 and eu["recommended"] == 2
    assert eu["per_replica"] == [{"id": "e1", "cpu_pct": 85.0, "per_s": 10.0}]
    default = next(s for s in body["services"] if s["service"] == "executor-default")
    assert default["replicas"] == 0 and default["change"] == 1
    assert cli.returncode == 0, cli.stderr
    assert "executor-eu: 1 replica(s) at 85% -> add 1" in cli.stdout
    assert "eu: 10 checks/s from 10 monitor(s)" in cli.stdout
    assert json.loads(as_json.stdout)["bottleneck"] == "executor-eu"
