"""Chaos on a 3-node JetStream cluster (every stream at R3), with the steady load and the
final assertions of test_chaos: kill -9 the node leading CHECKS, then the one leading
RESULTS, each restarted after 10 s; then a rolling restart of all three nodes. Checks
must go on while a node is down, and every service recovers by itself.

The tests of this module share one stack and run in file order."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest

from stack.parts import NatsCluster, free_port
from tests.chaos.test_chaos import Chaos, every_slot_once_nothing_lost_or_doubled, under_load
from tests.conftest import eventually

pytestmark = pytest.mark.timeout(600)


@pytest.fixture(scope="module")
async def chaos(tmp_path_factory):
    root = Path(tmp_path_factory.mktemp("chaos-cluster"))
    nats = NatsCluster(root, [free_port() for _ in range(3)], [free_port() for _ in range(3)])
    async with under_load(Chaos(root, nats=nats, replicas=3, standby=True)) as c:
        yield c


async def leader_of(chaos: Chaos, stream: str) -> str:
    async def leader():
        info = await chaos.js.stream_info(stream)
        return info.cluster.leader if info.cluster else None

    return await eventually(leader, timeout=30, interval=0.2)


async def all_current(chaos: Chaos) -> bool:
    """Every stream has a leader and every replica caught up: safe to take the next node."""
    for info in await chaos.js.streams_info():
        cluster = info.cluster
        if not cluster or not cluster.leader:
            return False
        if any(not r.current or r.offline for r in cluster.replicas or []):
            return False
    return True


async def test_steady_state_reference(chaos):
    """How soon fresh results show with no fault: the yardstick for the recovery times."""
    chaos.t0 = time.monotonic()
    await chaos.recovered(time.time(), "no fault (reference)")


@pytest.mark.parametrize("stream", ["CHECKS", "RESULTS"])
async def test_kill_9_of_the_stream_leader_node_keeps_checks_flowing(chaos, stream):
    node = chaos.nats.node(await leader_of(chaos, stream))
    chaos.t0 = time.monotonic()
    node.kill()
    killed = time.time()
    await chaos.recovered(killed, f"kill -9 {node.name}, leader of {stream}")
    new_leader = await leader_of(chaos, stream)
    assert new_leader != node.name
    await asyncio.sleep(max(0.0, killed + 10 - time.time()))  # the node stays down 10 s
    await asyncio.to_thread(chaos.nats.start_node, node)
    chaos.t0 = time.monotonic()
    await chaos.recovered(time.time(), f"{node.name} back after 10 s")
    await eventually(lambda: all_current(chaos), timeout=60, interval=0.5)


async def test_a_rolling_restart_of_all_three_nodes_keeps_checks_flowing(chaos):
    started = time.time()
    chaos.t0 = time.monotonic()
    for node in chaos.nats.nodes:
        await asyncio.to_thread(node.stop)
        await asyncio.to_thread(chaos.nats.start_node, node)
        await eventually(lambda: all_current(chaos), timeout=60, interval=0.5)
    print(f"chaos: rolling restart of 3 nodes took {time.time() - started:.1f}s")
    await chaos.recovered(time.time(), "rolling restart")


async def test_postgres_primary_killed_and_standby_promoted_recovers_by_itself(chaos):
    async with chaos.api.get("/api/v1/monitors?limit=100") as resp:
        before = sorted(m["id"] for m in (await resp.json())["items"])
    chaos.t0 = time.monotonic()
    chaos.pg.kill()
    killed = time.time()
    await asyncio.sleep(2)  # what an operator or a failover tool takes to notice
    await asyncio.to_thread(chaos.standby.promote)
    await chaos.recovered(killed, "postgres primary kill -9, standby promoted 2 s later")
    async with chaos.api.get("/api/v1/monitors?limit=100") as resp:
        assert resp.status == 200
        assert sorted(m["id"] for m in (await resp.json())["items"]) == before


async def test_every_slot_has_exactly_one_row_and_nothing_was_lost_or_doubled(chaos):
    await every_slot_once_nothing_lost_or_doubled(chaos)
