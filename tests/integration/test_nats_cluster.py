"""A 3-node JetStream cluster on loopback: every stream, durable and bucket at R3 and
rescaled in place; publishes and pull consumers carry on while a leader is killed."""

from __future__ import annotations

import asyncio
import dataclasses
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import aiohttp
import msgspec
import pytest
from aiohttp.test_utils import TestClient, TestServer

from bench import e2e
from bench.support.up_stack import UpStack
from services.api import keys
from services.api.app import build_app
from services.api.state import ApiState
from shared import bus, config, metrics, runner, topology
from shared import leadership as leaders
from shared.placement import Move
from shared.runner import Backoff, Consumer
from stack.parts import NatsCluster, free_port
from tests.conftest import eventually, settings_env
from tests.debian_tools import tool
from tests.integration.conftest import Api
from tests.integration.test_cli import UPMON, upmon
from tests.integration.test_cli_ops import one_line_error

pytestmark = pytest.mark.timeout(240)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[NatsCluster]:
    root = Path(tmp_path_factory.mktemp("cluster"))
    nats = NatsCluster(
        root,
        [free_port() for _ in range(3)],
        [free_port() for _ in range(3)],
        [free_port() for _ in range(3)],
    )
    nats.start()
    yield nats
    nats.stop()


def at(cluster: NatsCluster, replicas: int) -> config.Settings:
    return config.load({}, nats_url=cluster.url, nats_replicas=replicas, nats_publish_deadline_s=30)


async def connected(settings: config.Settings):
    nc = await bus.connect(settings, name="cluster-test")
    return nc, bus.jetstream(nc, settings.nats_publish_deadline_s)


async def peers(js, stream: str) -> int:
    info = await js.stream_info(stream)
    return 1 + len(info.cluster.replicas or []) if info.cluster else 1


async def test_ensure_rescales_every_stream_durable_and_bucket_in_place(cluster):
    nc, js = await connected(at(cluster, 1))
    try:
        await topology.ensure(js, at(cluster, 1))
        await js.publish("checks.result.default.m1", b"{}", headers={bus.MSG_ID: "kept"})
        assert await peers(js, "RESULTS") == 1

        await topology.ensure(js, at(cluster, 3))

        for cfg in topology.streams(at(cluster, 3)):
            assert (await js.stream_info(cfg.name)).config.num_replicas == 3, cfg.name
            assert await peers(js, cfg.name) == 3, cfg.name
        for spec in [*topology.CONSUMERS, topology.executor_consumer("default")]:
            info = await js.consumer_info(spec.stream, spec.durable)
            assert info.config.num_replicas == 3, spec.durable
        for kv in topology.KV_BUCKETS:
            assert (await js.stream_info(f"KV_{kv.bucket}")).config.num_replicas == 3
        assert (await js.stream_info("RESULTS")).state.messages == 1
        # At the wanted count already: nothing to do, nothing said.
        for cfg in topology.streams(at(cluster, 3)):
            assert await topology.ensure_stream(js, cfg) == "unchanged"
    finally:
        await nc.close()


async def test_a_bucket_scales_down_in_place_keeping_its_keys(cluster):
    nc, js = await connected(at(cluster, 3))
    try:
        [three] = [
            kv for kv in topology.kv_buckets(at(cluster, 3)) if kv.bucket == "upmon_heartbeats"
        ]
        await topology.ensure_bucket(js, three)
        bucket = await js.key_value(three.bucket)
        await bucket.put("m1", b"seen")
        [one] = [kv for kv in topology.kv_buckets(at(cluster, 1)) if kv.bucket == three.bucket]
        assert await topology.ensure_bucket(js, one) == "updated"
        info = await js.stream_info(f"KV_{three.bucket}")
        assert info.config.num_replicas == 1
        assert (await bucket.get("m1")).value == b"seen"
        assert await topology.ensure_bucket(js, three) == "updated"
    finally:
        await nc.close()


async def leader_of(js, stream: str) -> str:
    async def found():
        info = await js.stream_info(stream)
        return info.cluster.leader if info.cluster else None

    return await eventually(found, timeout=30, interval=0.2)


async def test_publishes_go_on_through_a_killed_stream_leader_without_loss_or_doubles(cluster):
    settings = at(cluster, 3)
    nc, js = await connected(settings)
    cfg = dataclasses.replace(topology.streams(settings)[0], name="ELECT", subjects=["elect.>"])
    await js.add_stream(cfg)
    retries_before = metrics.PUBLISH_RETRIES._value.get()
    victim = cluster.node(await leader_of(js, "ELECT"))
    try:
        acked: list[int] = []

        async def steady() -> None:
            for n in range(400):
                await js.publish(f"elect.{n}", b"x", headers={bus.MSG_ID: f"e{n}"})
                acked.append(n)
                if n % 50 == 0:
                    batch = [
                        (f"elect.b{n}.{i}", b"y", {bus.MSG_ID: f"b{n}.{i}"}) for i in range(20)
                    ]
                    await js.publish_batch(batch)

        load = asyncio.create_task(steady())
        await eventually(lambda: _at_least(acked, 100), timeout=60)
        victim.kill()
        await asyncio.wait_for(load, 120)
        info = await js.stream_info("ELECT")
        assert acked == list(range(400))
        # Every single publish and every batch item exactly once, however often it was sent.
        assert info.state.messages == 400 + 8 * 20
        assert info.cluster.leader != victim.node
        retried = metrics.PUBLISH_RETRIES._value.get() - retries_before
        print(f"publish retries during the election: {retried:g}")
    finally:
        cluster.start_node(victim)
        await js.delete_stream("ELECT")
        await nc.close()


async def _at_least(items: list, n: int) -> bool:
    return len(items) >= n


async def test_a_pull_consumer_keeps_working_when_its_leader_is_killed(cluster):
    settings = at(cluster, 3)
    nc, js = await connected(settings)
    cfg = dataclasses.replace(topology.streams(settings)[0], name="MOVE", subjects=["move.>"])
    await js.add_stream(cfg)
    spec = topology.ConsumerSpec("MOVE", "mover", "move.>", ack_wait_s=5.0)
    await topology.ensure_consumer(js, spec, 3)
    seen: set[int] = set()

    async def handle(env) -> None:
        seen.add(env.event["n"])

    stop = asyncio.Event()
    consumer = Consumer(
        spec=spec,
        decoder=msgspec.json.Decoder(dict),
        handler=handle,
        backoff=Backoff(0.05, 0.5),
    )
    task = asyncio.create_task(runner.run(js, consumer, stop))
    victim = None
    try:
        for n in range(100):
            await js.publish(
                f"move.{n}", msgspec.json.encode({"n": n}), headers={bus.MSG_ID: f"m{n}"}
            )
        await eventually(lambda: _at_least(list(seen), 100), timeout=30)
        info = await js.consumer_info("MOVE", "mover")
        victim = cluster.node(info.cluster.leader)
        victim.kill()
        for n in range(100, 200):
            await js.publish(
                f"move.{n}", msgspec.json.encode({"n": n}), headers={bus.MSG_ID: f"m{n}"}
            )
        await eventually(lambda: _at_least(list(seen), 200), timeout=60)
        assert seen == set(range(200))
        assert (await js.consumer_info("MOVE", "mover")).cluster.leader != victim.node
    finally:
        stop.set()
        await asyncio.wait_for(task, 30)
        if victim is not None:
            cluster.start_node(victim)
        await js.delete_stream("MOVE")
        await nc.close()


def test_nodes_on_one_machine_share_its_cores_instead_of_each_claiming_all(cluster):
    share = str(max(1, (os.cpu_count() or 1) // 3))
    for node in cluster.nodes:
        assert node.pid is not None
        environ = Path(f"/proc/{node.pid}/environ").read_bytes().split(b"\0")
        assert f"GOMAXPROCS={share}".encode() in environ, node.name


async def test_bench_counts_what_the_nodes_receive_from_clients_and_from_each_other(cluster):
    """bench/e2e.py's message counts: an R3 publish reaches the other nodes as Raft entries."""
    stack = SimpleNamespace(
        nats_monitor_urls=[f"http://127.0.0.1:{node.monitor_port}" for node in cluster.nodes]
    )
    settings = at(cluster, 3)
    nc, js = await connected(settings)
    cfg = dataclasses.replace(topology.streams(settings)[0], name="COUNT", subjects=["count.>"])
    await js.add_stream(cfg)
    try:
        await leader_of(js, "COUNT")
        async with aiohttp.ClientSession() as session:
            before = await e2e.nats_messages(session, stack)
            for i in range(50):
                await js.publish(f"count.{i}", b"{}", headers={bus.MSG_ID: str(i)})
            after = await e2e.nats_messages(session, stack)
    finally:
        await js.delete_stream("COUNT")
        await nc.close()
    clients = after["from clients"] - before["from clients"]
    between = after["between nodes"] - before["between nodes"]
    # About one per publish: 50 or 51 measured alone, 49 in a full run (after the
    # earlier tests had restarted nodes).
    assert clients >= 45, (clients, between)
    # Each stored message is an entry sent to two peers, who answer.
    assert between >= 2 * 50, (clients, between)


def test_bench_reads_each_nodes_cpu_by_its_server_name(cluster):
    """The busiest node's CPU per check is the figure a node on a machine of its own needs."""
    # The cluster's nodes are this process's children, as a stack's are its supervisor's.
    me = SimpleNamespace(proc=SimpleNamespace(pid=os.getpid()))
    spent = UpStack.nats_node_cpu(me)  # type: ignore[arg-type]
    assert set(spent) == {"nats-1", "nats-2", "nats-3"}, spent
    # Forming the cluster and the earlier tests cost each node some CPU.
    assert all(seconds > 0 for seconds in spent.values()), spent


async def led_by(js) -> dict[str, int]:
    seen = await leaders.measure(js, 0)
    return {n: sum(g.leader == n for g in seen.groups) for n in leaders.online(seen)}


async def settled(js) -> bool:
    """Every group led and every copy caught up (earlier tests killed and restarted nodes)."""
    try:
        seen = await leaders.measure(js, 0)
    except TimeoutError:  # the meta leader's election after a restart
        return False
    return not seen.behind and not seen.offline and all(g.leader for g in seen.groups)


async def test_upmon_leaders_balances_a_cluster_one_node_leads_and_drains_a_node(cluster):
    settings = at(cluster, 3)
    nc, js = await connected(settings)
    try:
        await eventually(lambda: settled(js), timeout=60, interval=0.2)
        await topology.ensure(js, settings)
        await eventually(lambda: settled(js), timeout=60, interval=0.2)
        groups = (await leaders.measure(js, 0)).groups
        for g in groups:
            if g.leader != "nats-1":
                move = Move(
                    stream=g.stream, consumer=g.consumer, source=g.leader or "", to="nats-1"
                )
                assert await leaders.hand_over(js, move) is None, g
        assert (await led_by(js))["nats-1"] == len(groups) > 10
        # Every copy caught up after those elections, as before any maintenance: a copy
        # still catching up cannot be handed a leader.
        await eventually(lambda: settled(js), timeout=60, interval=0.2)

        done = upmon(settings, "leaders", "--balance", "--sample", "0")
        assert done.returncode == 0, done.stdout + done.stderr
        assert done.stdout.count(" -> nats-") >= len(groups) // 2, done.stdout
        counts = await led_by(js)
        assert max(counts.values()) - min(counts.values()) <= 1, (counts, done.stdout)
        # What it printed last is what the cluster says now.
        table = dict(line.split()[:2] for line in done.stdout.splitlines()[-3:])
        assert {n: int(c) for n, c in table.items()} == counts

        # Watchers' ephemeral consumers are one copy each, tied to their client: not moved.
        watchers = [await js.pull_subscribe("checks.result.>", stream="RESULTS") for _ in range(3)]
        drained = upmon(settings, "leaders", "--drain", "nats-2", "--sample", "0", "--json")
        for watcher in watchers:
            await watcher.unsubscribe()
        assert drained.returncode == 0, drained.stderr
        report = msgspec.json.decode(drained.stdout, type=leaders.LeaderReport)
        assert report.stuck == [] and report.failed == []
        assert {m.to for m in report.moves} <= {"nats-1", "nats-3"} and report.moves
        assert (await led_by(js))["nats-2"] == 0
        assert [n.leads for n in report.nodes if n.name == "nats-2"] == [0]

        dry = upmon(settings, "leaders", "--balance", "--sample", "0", "--dry-run")
        assert dry.returncode == 0 and "would move" in dry.stdout, dry.stdout
        assert (await led_by(js))["nats-2"] == 0
    finally:
        await nc.close()


def test_upmon_leaders_refuses_a_node_not_in_the_cluster_and_a_bad_sample(cluster):
    settings = at(cluster, 3)
    err = one_line_error(upmon(settings, "leaders", "--drain", "nats-9", "--sample", "0"))
    assert "no node 'nats-9' online" in err and "nats-1, nats-2, nats-3" in err
    every = [a for n in ("nats-1", "nats-2", "nats-3") for a in ("--drain", n)]
    assert "leaves no node to lead" in one_line_error(upmon(settings, "leaders", *every))
    bad = upmon(settings, "leaders", "--sample", "600")
    assert bad.returncode == 2 and "between 0 and 60" in bad.stderr


async def test_upmon_leaders_counts_each_groups_messages_over_its_sample(cluster):
    settings = at(cluster, 3)
    nc, js = await connected(settings)
    try:
        await topology.ensure(js, settings)
        await eventually(lambda: settled(js), timeout=60, interval=0.2)
        env = {**os.environ, **settings_env(settings)}
        sampling = await asyncio.create_subprocess_exec(
            UPMON, "leaders", "--sample", "2", "--json", env=env, stdout=asyncio.subprocess.PIPE
        )
        sent = 0
        # Traffic through RESULTS alone while the command samples.
        while sampling.returncode is None:
            await js.publish("checks.result.default.m1", b"{}", headers={bus.MSG_ID: f"s{sent}"})
            sent += 1
            await asyncio.sleep(0.005)
        out, _ = await sampling.communicate()
        report = msgspec.json.decode(out, type=leaders.LeaderReport)
        leader = (await js.stream_info("RESULTS")).cluster.leader
        rates = {n.name: n.rate for n in report.nodes}
        # About `sent` over the sample and the command's own start; the others are idle.
        assert rates[leader] >= 10 and sent >= 50, (rates, sent)
        assert all(rate < rates[leader] for name, rate in rates.items() if name != leader)
    finally:
        await nc.close()


async def test_the_api_shows_drains_and_balances_leaders_and_exports_each_copy(
    cluster, settings, pool, ch
):
    s = msgspec.structs.replace(settings, nats_url=cluster.url, nats_replicas=3)
    nc, js = await connected(s)
    try:
        await topology.ensure(js, s)
        await eventually(lambda: settled(js), timeout=60, interval=0.2)
        state = ApiState(settings=s, pool=pool, nc=nc, js=js, ch=ch)
        _, admin = await keys.create_api_key(pool, "admin", "admin")
        _, reader = await keys.create_api_key(pool, "reader", "read")
        async with TestClient(TestServer(build_app(state))) as client:
            api = Api(client, admin)
            shown = await api.call("GET", "/api/v1/ops/leaders?sample_s=0", key=reader)
            assert shown.status == 200, shown.body
            assert [n["name"] for n in shown.body["nodes"]] == ["nats-1", "nats-2", "nats-3"]
            groups = sum(n["leads"] for n in shown.body["nodes"])

            balance = {"action": "balance", "sample_s": 0}
            first = await api.call("POST", "/api/v1/ops/leaders", balance)
            assert first.status == 200 and (await led_by(js))["nats-3"] > 0, first.body
            drain = {"action": "drain", "nodes": ["nats-3"], "sample_s": 0}
            dry = await api.call("POST", "/api/v1/ops/leaders", {**drain, "dry_run": True})
            assert dry.status == 200 and dry.body["moves"], dry.body
            assert (await led_by(js))["nats-3"] > 0  # planned, not made
            drained = await api.call("POST", "/api/v1/ops/leaders", drain)
            assert drained.status == 200 and drained.body["failed"] == [], drained.body
            assert (await led_by(js))["nats-3"] == 0
            balanced = await api.call("POST", "/api/v1/ops/leaders", balance)
            assert balanced.status == 200, balanced.body
            counts = await led_by(js)
            assert max(counts.values()) - min(counts.values()) <= 1 and counts["nats-3"], counts
            assert {n["name"]: n["leads"] for n in balanced.body["nodes"]} == counts

            # Each group's leader and copies, as Prometheus gets them.
            text = (await api.call("GET", "/metrics/queues")).body
            leaders_of = [
                line for line in text.splitlines() if line.startswith("upmon_jetstream_leader{")
            ]
            assert len(leaders_of) == groups and "upmon_jetstream_leaderless" in text
            assert text.count("upmon_jetstream_replica_current{") == 2 * groups
            checked = subprocess.run(
                [str(tool("promtool", "prometheus")), "check", "metrics"],
                input=text,
                capture_output=True,
                text=True,
            )
            assert checked.returncode == 0, checked.stdout + checked.stderr

            # Refused, each naming what was wrong.
            for body, field in [
                ({"action": "drain", "nodes": ["nats-9"]}, "nodes"),
                ({"action": "drain", "nodes": ["nats-1", "nats-2", "nats-3"]}, "nodes"),
                ({"action": "drain"}, "nodes"),
                ({"action": "show"}, "action"),
                ({"action": "balance", "sample_s": 600}, "sample_s"),
                ({"action": "balance", "nodes": ["nats-1"]}, "nodes"),
                ({"action": "drain", "nodes": ["nats 1; rm"]}, "nodes[0]"),
            ]:
                refused = await api.call("POST", "/api/v1/ops/leaders", body)
                assert refused.status == 422, (body, refused.body)
                assert [e["field"] for e in refused.body["errors"]] == [field], refused.body
            bad = await api.call("GET", "/api/v1/ops/leaders?sample_s=nan", key=reader)
            assert bad.status == 422 and bad.body["errors"][0]["field"] == "sample_s"
            assert (await api.call("POST", "/api/v1/ops/leaders", drain, key=reader)).status == 403
            async with state.leadership_lock:
                busy = await api.call("POST", "/api/v1/ops/leaders", drain)
            assert busy.status == 409, busy.body
    finally:
        await nc.close()
