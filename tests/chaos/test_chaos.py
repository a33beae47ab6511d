"""Chaos: with a steady load of checks, kill one replica of each service, stop
NATS, Postgres and ClickHouse, one at a time. After each, every service
recovers by itself, and at the end every scheduled slot has exactly one row in
ClickHouse (a result or an explicit `missed`), stats count no duplicates, and
no incident transition was lost or doubled.

The tests of this module share one stack on their own parts (so stopping
Postgres here disturbs no other test) and run in file order.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
import uuid
from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import asyncpg
import msgspec
import pytest

from services.api.keys import create_api_key
from services.scheduler.slots import phase_s, slot_time
from shared import bus, clickhouse, config, db, sealing, topology
from stack.parts import (
    ClickHouseServer,
    NatsCluster,
    NatsServer,
    PostgresServer,
    PostgresStandby,
    free_port,
)
from tests.conftest import Target, eventually, serve_receiver, serve_target
from tests.harness import Stack

pytestmark = pytest.mark.timeout(600)
MONITORS = 12


class Chaos:
    def __init__(
        self,
        root: Path,
        nats: NatsServer | NatsCluster | None = None,
        replicas: int = 1,
        standby: bool = False,
    ) -> None:
        self.nats = nats or NatsServer(root, free_port())
        self.replicas = replicas
        self.pg = PostgresServer(root, free_port())
        # A streaming standby to fail over to; services get a DSN naming both hosts.
        self.standby = PostgresStandby(root, free_port(), self.pg) if standby else None
        self.ch = ClickHouseServer(root, free_port())
        self.root = root
        self.monitor_ids: list[str] = []
        self.flapper_id = ""
        self.t0 = time.monotonic()
        self.started = time.time()
        self.events: list[tuple[str, float]] = []

    @property
    def pg_dsn(self) -> str:
        if self.standby is None:
            return self.pg.dsn("upmon")
        hosts = f"127.0.0.1:{self.pg.port},127.0.0.1:{self.standby.port}"
        return f"postgresql://postgres@{hosts}/upmon?target_session_attrs=read-write"

    async def up(self) -> None:
        for part in (self.nats, self.pg, self.ch):
            part.start()
        if self.standby is not None:
            self.standby.start()
            # Commits wait for the standby: what a failover without loss needs.
            conn = await asyncpg.connect(self.pg.dsn("upmon"))
            await conn.execute("ALTER SYSTEM SET synchronous_standby_names = '*'")
            await conn.execute("SELECT pg_reload_conf()")
            await conn.close()
        port = free_port()
        self.settings = config.load(
            {},
            secret_key=sealing.generate_key(),
            nats_url=self.nats.url,
            nats_replicas=self.replicas,
            pg_dsn=self.pg_dsn,
            clickhouse_url=self.ch.url,
            api_port=port,
            public_url=f"http://127.0.0.1:{port}",
            backoff_base_s=0.2,
            backoff_max_s=2.0,
            outbox_poll_s=0.2,
            scheduler_reconcile_s=5.0,
        )
        await db.migrate(self.settings.pg_dsn)
        await clickhouse.migrate(self.settings)
        self.nc = await bus.connect(self.settings, "chaos")
        self.js = bus.jetstream(self.nc)
        await topology.ensure(self.js, self.settings)
        self.stack = Stack(self.settings, self.js, self.root)
        for name in ("scheduler", "executor", "recorder", "notifier", "api"):
            self.stack.start(name)
        self.stack.start("scheduler", replica="scheduler-2")
        self.stack.start("executor", replica="executor-2")
        await self.stack.wait_live()
        conn = await asyncpg.connect(self.settings.pg_dsn)
        _, key = await create_api_key(conn, "chaos", "admin")
        await conn.close()
        self.api = aiohttp.ClientSession(
            base_url=self.stack.api_url, headers={"Authorization": f"Bearer {key}"}
        )

    async def down(self) -> None:
        if hasattr(self, "api"):
            await self.api.close()
        if hasattr(self, "stack"):
            self.stack.stop_all()
        if hasattr(self, "nc"):
            await self.nc.close()
        for part in (self.ch, self.standby, self.pg, self.nats):
            if part is not None:
                part.stop()

    async def create(self, target: str, **fields) -> str:
        body = {"name": "chaos", "kind": "http", "target": target, "interval_s": 1, **fields}
        async with self.api.post("/api/v1/monitors", json=body) as resp:
            assert resp.status == 201, await resp.text()
            return (await resp.json())["id"]

    async def fresh_results_everywhere(self, since: float, ids: list[str] | None = None) -> bool:
        """Every monitor (or those of `ids`) has a result scheduled after `since`: checks
        flow end to end."""
        client = await clickhouse.connect(self.settings, database=self.settings.clickhouse_database)
        only = " AND toString(monitor_id) IN {ids:Array(String)}" if ids else ""
        try:
            seen = await client.query(
                "SELECT uniqExact(monitor_id) FROM check_results"
                " WHERE scheduled_at > fromUnixTimestamp64Milli({t:Int64})" + only,
                parameters={"t": int(since * 1000), "ids": ids or []},
            )
        except Exception:
            return False
        finally:
            await client.close()
        return seen.result_rows[0][0] >= (len(ids) if ids else len(self.monitor_ids) + 1)

    async def recovered(self, since: float, what: str) -> None:
        self.events.append((what, since))
        await eventually(lambda: self.fresh_results_everywhere(since), timeout=90, interval=0.25)
        print(f"chaos: {what}: checks flowing again {time.monotonic() - self.t0:.1f}s after it")


@pytest.fixture(scope="module")
async def chaos(tmp_path_factory):
    async with under_load(Chaos(Path(tmp_path_factory.mktemp("chaos")))) as c:
        yield c


@contextlib.asynccontextmanager
async def under_load(c: Chaos) -> AsyncIterator[Chaos]:
    """The stack of `c` up, with steady checks, a flapping monitor and its webhook."""
    runners = []
    try:
        await c.up()
        c.target, runner = await serve_target()
        runners.append(runner)
        c.receiver, runner = await serve_receiver()
        runners.append(runner)
        c.flapper, runner = await serve_target()
        runners.append(runner)
        await _load(c)
        yield c
    finally:
        # Also after a failed set-up: no part or service may outlive the module.
        if hasattr(c, "flapping"):
            c.flapping.cancel()
        await c.down()
        for runner in runners:
            await runner.cleanup()


async def _load(c: Chaos) -> None:
    async with c.api.post(
        "/api/v1/channels",
        json={"name": "hook", "kind": "webhook", "config": {"url": c.receiver.url}},
    ) as resp:
        channel = (await resp.json())["id"]
    c.monitor_ids = [await c.create(c.target.url) for _ in range(MONITORS)]
    c.flapper_id = await c.create(
        c.flapper.url, failure_threshold=1, success_threshold=1, channel_ids=[channel]
    )
    c.flapping = asyncio.create_task(flap(c.flapper))
    await c.recovered(time.time(), "start")


async def flap(target: Target) -> None:
    while True:
        await asyncio.sleep(4)
        target.healthy = not target.healthy


@pytest.mark.parametrize(
    "replica", ["scheduler-2", "executor-2", "recorder", "notifier", "api", "scheduler"]
)
async def test_kill_9_of_a_replica_recovers_by_itself(chaos, replica):
    service = replica.split("-")[0]
    chaos.t0 = time.monotonic()
    chaos.stack.kill(replica)
    chaos.stack.start(service, replica=replica)  # what compose's restart policy does
    await chaos.recovered(time.time(), f"kill -9 {replica}")


async def test_nats_stopped_for_10_s_recovers_by_itself(chaos):
    chaos.nats.stop()
    await asyncio.sleep(10)  # the outage itself
    chaos.nats.start()
    chaos.t0 = time.monotonic()
    await chaos.recovered(time.time(), "nats back after 10 s")


@pytest.mark.parametrize("part", ["pg", "ch"])
async def test_database_stopped_for_20_s_recovers_by_itself(chaos, part):
    server = getattr(chaos, part)
    server.stop()
    await asyncio.sleep(20)  # the outage itself
    server.start()
    chaos.t0 = time.monotonic()
    await chaos.recovered(time.time(), f"{part} back after 20 s")


async def test_every_slot_has_exactly_one_row_and_nothing_was_lost_or_doubled(chaos):
    await every_slot_once_nothing_lost_or_doubled(chaos)


async def every_slot_once_nothing_lost_or_doubled(chaos: Chaos) -> None:
    """The end of every chaos run: each slot one row (a result or `missed`), stats without
    doubles, every incident transition delivered once."""
    client = await clickhouse.connect(chaos.settings, database=chaos.settings.clickhouse_database)
    slot = "toUInt64(splitByChar(':', check_id)[2])"

    async def complete() -> list | None:
        q = await client.query(
            f"SELECT toString(monitor_id), count(), uniqExact(check_id),"
            f" max({slot}) - min({slot}) + 1, countIf(status = 'missed')"
            " FROM check_results FINAL GROUP BY monitor_id"
        )
        rows = q.result_rows
        last[:] = [r for r in rows if not r[1] == r[2] == r[3]]
        ok = len(rows) == len(chaos.monitor_ids) + 1 and not last
        return rows if ok else None

    last: list = []
    try:
        try:
            rows = await eventually(complete, timeout=60)
        except AssertionError:
            raise AssertionError(
                f"slots with gaps or doubles: {last}\n{await _gaps(client, last[0][0], chaos)}"
            ) from None
        total = sum(r[1] for r in rows)
        missed = sum(r[4] for r in rows)
        print(f"chaos: {total} slots, {missed} recorded as missed, none lost or doubled")
        mid = rows[0][0]
        async with chaos.api.get(f"/api/v1/monitors/{mid}/stats?window=1h") as resp:
            stats = await resp.json()
        [[final]] = (
            await client.query(
                "SELECT countIf(status != 'missed') FROM check_results FINAL"
                " WHERE monitor_id = {m:UUID}",
                parameters={"m": mid},
            )
        ).result_rows
        assert stats["checks"] == final
    finally:
        await client.close()
    await _incidents_all_delivered(chaos)


async def _gaps(client, monitor_id: str, chaos) -> str:
    q = await client.query(
        "SELECT toUInt64(splitByChar(':', check_id)[2]) FROM check_results FINAL"
        " WHERE monitor_id = {m:UUID} ORDER BY 1",
        parameters={"m": monitor_id},
    )
    slots = [r[0] for r in q.result_rows]
    missing = sorted(set(range(slots[0], slots[-1] + 1)) - set(slots))
    phase = phase_s(monitor_id, 1)
    times = [round(slot_time(m, 1, phase) - chaos.started, 1) for m in missing]
    events = [(label, round(at - chaos.started, 1)) for label, at in chaos.events]
    in_stream = await _results_in_stream(chaos, monitor_id, missing)
    return f"missing slots at {times} s; in RESULTS: {in_stream}; events {events}"


async def _results_in_stream(chaos, monitor_id: str, slots: list[int]) -> list:
    sub = await chaos.js.subscribe(f"checks.result.*.{monitor_id}", ordered_consumer=True)
    found = []
    try:
        while True:
            msg = await sub.next_msg(timeout=1)
            doc = msgspec.json.decode(msg.data)
            if int(doc["check_id"].rsplit(":", 1)[1]) in slots:
                found.append((doc["check_id"], doc["status"], doc["checked_at"]))
    except Exception:
        pass
    finally:
        await sub.unsubscribe()
    return found


async def _incidents_all_delivered(chaos) -> None:
    chaos.flapping.cancel()
    chaos.flapper.healthy = True
    conn = await asyncpg.connect(chaos.settings.pg_dsn)
    try:

        async def delivered():
            rows = await conn.fetch(
                "SELECT id::text, status FROM incidents WHERE monitor_id = $1",
                uuid.UUID(chaos.flapper_id),
            )
            want = {("monitor.down", r["id"]) for r in rows} | {
                ("monitor.up", r["id"]) for r in rows if r["status"] == "resolved"
            }
            got = {(doc["event"], doc["incident"]["id"]) for doc, _, _ in chaos.receiver.received}
            return rows and all(r["status"] == "resolved" for r in rows) and got == want

        await eventually(delivered, timeout=60)
    finally:
        await conn.close()
    ids = Counter(h["X-Upmon-Delivery"] for _, h, _ in chaos.receiver.received)
    # A notifier killed between a send and its record may repeat that one delivery.
    assert sum(n - 1 for n in ids.values()) <= 1
