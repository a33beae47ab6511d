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

from cli.queues import queue_rows, render
from shared import clickhouse
from stack.parts import LeafNode, NatsCluster, free_port
from stack.supervisor import HUB_DOMAIN
from tests.chaos.test_chaos import Chaos, every_slot_once_nothing_lost_or_doubled, under_load
from tests.conftest import eventually
from tests.prom_rules import filled, firing, panels, series

pytestmark = pytest.mark.timeout(600)


LEAF = "leaf"
LEAF_MONITORS = 3


class Link:
    """TCP forwarders from a leaf node to the hub's leafnode ports: `cut()` is the
    remote site's uplink failing (connections reset, new ones refused)."""

    def __init__(self, targets: list[int]) -> None:
        self.targets = targets
        self.ports = [free_port() for _ in targets]
        self.servers: list[asyncio.Server] = []
        self.pipes: set[asyncio.Task] = set()

    async def restore(self) -> None:
        for port, target in zip(self.ports, self.targets, strict=True):
            self.servers.append(
                await asyncio.start_server(self._forwarder(target), "127.0.0.1", port)
            )

    async def cut(self) -> None:
        for server in self.servers:
            server.close()
        self.servers = []
        for pipe in list(self.pipes):
            pipe.cancel()

    def _forwarder(self, target: int):
        async def forward(reader, writer) -> None:
            up_reader, up_writer = await asyncio.open_connection("127.0.0.1", target)
            pipes = [
                asyncio.create_task(_pipe(reader, up_writer)),
                asyncio.create_task(_pipe(up_reader, writer)),
            ]
            self.pipes.update(pipes)
            try:
                await asyncio.wait(pipes, return_when=asyncio.FIRST_COMPLETED)
            finally:
                for pipe in pipes:
                    pipe.cancel()
                    self.pipes.discard(pipe)
                for w in (writer, up_writer):
                    w.transport.abort()

        return forward


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    while data := await reader.read(65536):
        writer.write(data)
        await writer.drain()


@pytest.fixture(scope="module")
async def chaos(tmp_path_factory):
    root = Path(tmp_path_factory.mktemp("chaos-cluster"))
    leafnode = [free_port() for _ in range(3)]
    nats = NatsCluster(
        root,
        [free_port() for _ in range(3)],
        [free_port() for _ in range(3)],
        leafnode_ports=leafnode,
        domain=HUB_DOMAIN,
    )
    async with under_load(Chaos(root, nats=nats, replicas=3, standby=True)) as c:
        c.link = Link(leafnode)
        await c.link.restore()
        hubs = [f"nats-leaf://127.0.0.1:{port}" for port in c.link.ports]
        c.leaf = LeafNode(root, free_port(), LEAF, hubs)
        c.leaf.start()
        try:
            leaf_env = {"UPMON_REGION": LEAF, "UPMON_NATS_DOMAIN": HUB_DOMAIN}
            c.stack.start(
                "executor", replica="executor-leaf", UPMON_NATS_URL=c.leaf.url, **leaf_env
            )
            c.default_ids = list(c.monitor_ids)
            c.leaf_ids = [
                await c.create(c.target.url, regions=[LEAF]) for _ in range(LEAF_MONITORS)
            ]
            c.monitor_ids += c.leaf_ids
            await c.recovered(time.time(), "leaf region up")
            yield c
        finally:
            await c.link.cut()
            c.leaf.stop()


async def leader_of(chaos: Chaos, stream: str) -> str:
    async def leader():
        info = await chaos.js.stream_info(stream)
        return info.cluster.leader if info.cluster else None

    return await eventually(leader, timeout=30, interval=0.2)


async def led_again(chaos: Chaos, stream: str, dead: str) -> float:
    """Seconds after the kill until the stream and each of its consumers had a leader
    again: how much of a recovery the elections took, and how much the clients."""

    # Short requests: one to a group without a leader waits out its whole timeout.
    js = chaos.js._nc.jetstream(timeout=0.5)

    async def led() -> bool:
        try:
            groups = [await js.stream_info(stream)] + await js.consumers_info(stream)
        except TimeoutError:  # no stream leader yet to answer
            return False
        leaders = [g.cluster.leader if g.cluster else None for g in groups]
        return all(leader and leader != dead for leader in leaders)

    await eventually(led, timeout=60, interval=0.1)
    return time.monotonic() - chaos.t0


async def all_current(chaos: Chaos) -> bool:
    """Every stream has a leader and every replica caught up: safe to take the next node."""
    for info in await chaos.js.streams_info():
        cluster = info.cluster
        if not cluster or not cluster.leader:
            return False
        if any(not r.current or r.offline for r in cluster.replicas or []):
            return False
    return True


async def queues_show_the_node_down(chaos: Chaos, stream: str, down: str) -> bool:
    """ops/queues and `upmon queues` name the stream's new leader and its copy on the
    node that is down as not current."""
    async with chaos.api.get("/api/v1/ops/queues") as resp:
        assert resp.status == 200, await resp.text()
        streams = {s["name"]: s for s in (await resp.json())["streams"]}
    where = streams[stream]["placement"]
    if where["leader"] in (None, down):
        return False
    peers = {p["name"]: p for p in where["replicas"]}
    if set(peers) | {where["leader"]} != {"nats-1", "nats-2", "nats-3"} or peers[down]["current"]:
        return False
    # Each consumer has its own group, placed by the cluster too (its election may end later).
    if not all(c["placement"]["leader"] for c in streams[stream]["consumers"]):
        return False
    rows = await queue_rows(chaos.settings)
    table = render(rows)
    assert "LEADER (REPLICAS)" in table.splitlines()[0], table
    line = next(r for r in table.splitlines() if r.startswith(f"{stream} ") and " - " in r)
    states = ("offline", "unreachable", "behind", "not current")
    shown = (f"{down} {state}" in line for state in states)
    return f"{where['leader']} (" in line and any(shown)


async def metrics_show_the_node_unheard(chaos: Chaos, down: str) -> str | None:
    """/metrics/queues, once the leaders that were elected before the kill have gone a
    few heartbeats without hearing from the node (those elected since never heard from
    it), and every group is led again."""
    async with chaos.api.get("/metrics/queues") as resp:
        assert resp.status == 200, await resp.text()
        text = await resp.text()
    lines = text.splitlines()
    copies = [line for line in lines if f'node="{down}"' in line]
    offline = [line for line in copies if "_offline{" in line and line.endswith(" 1")]
    seen = [line for line in copies if "_last_seen_seconds{" in line]
    unheard = [line for line in seen if float(line.rsplit(" ", 1)[1]) >= 3]
    electing = [line for line in lines if line.startswith("upmon_jetstream_leaderless")]
    if not (offline or unheard) or any(line.endswith(" 1") for line in electing):
        return None
    return text


async def alerts_name_the_node(chaos: Chaos, down: str, workdir: Path) -> None:
    """The shipped rules, over what a scrape of the api gives while the node is down
    (the ages of its copies going on as they would while it stays down): the node is reported
    unreachable, and no group leaderless or stream missing."""
    try:
        text = await eventually(
            lambda: metrics_show_the_node_unheard(chaos, down), timeout=30, interval=0.5
        )
    except AssertionError:
        async with chaos.api.get("/metrics/queues") as resp:
            shown = [
                line
                for line in (await resp.text()).splitlines()
                if f'node="{down}"' in line or line.startswith(("upmon_jetstream_l", "upmon_st"))
            ]
        raise AssertionError("\n".join(["/metrics/queues never showed it:", *shown])) from None
    assert "upmon_jetstream_up 1" in text
    assert f'upmon_jetstream_leader{{stream="CHECKS",consumer="",node="{down}"}}' not in text
    workdir.mkdir(exist_ok=True)

    def unheard(line: str) -> bool:
        return (
            line.startswith("upmon_jetstream_replica_last_seen_seconds{")
            and f'node="{down}"' in line
        )

    firing(
        workdir,
        series(text, ages=unheard, job="upmon-queues", instance="api-1"),
        {
            ("UpmonJetStreamNodeOffline", "3m"): [{"severity": "warning", "node": down}],
            ("UpmonJetStreamLeaderless", "3m"): [],
            ("UpmonStreamMissing", "3m"): [],
        },
    )
    # The dashboard's cluster panels show this cluster.
    queries = panels()
    cluster = (
        "Groups without a leader",
        "Groups each NATS node leads",
        "Copies not caught up, per node",
    )
    filled(
        workdir,
        series(text, job="upmon-queues", instance="api-1"),
        {t: queries[t] for t in cluster},
    )


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
    elected = asyncio.create_task(led_again(chaos, stream, node.name))
    await chaos.recovered(killed, f"kill -9 {node.name}, leader of {stream}")
    print(f"chaos: {stream} and its consumers were led again {await elected:.1f}s after it")
    new_leader = await leader_of(chaos, stream)
    assert new_leader != node.name
    await eventually(
        lambda: queues_show_the_node_down(chaos, stream, node.name), timeout=30, interval=0.5
    )
    await alerts_name_the_node(chaos, node.name, chaos.root / f"rules-{stream}")
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
    # Timed from the first node's stop: the restart itself is part of it.
    await chaos.recovered(time.time(), "rolling restart")


async def test_the_leaf_link_down_for_20_s_makes_its_checks_missed_while_others_go_on(chaos):
    await chaos.link.cut()
    cut = time.time()
    # The hub's regions keep checking all along.
    await eventually(lambda: chaos.fresh_results_everywhere(cut + 2, chaos.default_ids), timeout=15)
    await asyncio.sleep(max(0.0, cut + 20 - time.time()))  # the outage itself
    await chaos.link.restore()
    chaos.t0 = time.monotonic()
    back = time.time()
    await chaos.recovered(back, "leaf link back after 20 s")
    client = await clickhouse.connect(chaos.settings, database=chaos.settings.clickhouse_database)
    try:
        # Slots due while the region was cut off: recorded, as missed, never run late.
        [[rows, missed]] = (
            await client.query(
                "SELECT count(), countIf(status = 'missed') FROM check_results FINAL"
                " WHERE toString(monitor_id) IN {ids:Array(String)}"
                " AND scheduled_at BETWEEN fromUnixTimestamp64Milli({a:Int64})"
                " AND fromUnixTimestamp64Milli({b:Int64})",
                parameters={
                    "ids": chaos.leaf_ids,
                    "a": int((cut + 3) * 1000),
                    "b": int((back - 3) * 1000),
                },
            )
        ).result_rows
    finally:
        await client.close()
    assert rows >= LEAF_MONITORS * 10 and missed == rows
    print(f"chaos: leaf region: {missed} slots missed during the 20 s cut, all recorded")


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
