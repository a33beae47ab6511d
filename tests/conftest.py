"""Real parts for every test: a fresh nats-server per test, one Postgres and one
ClickHouse per session with a fresh database per test (cloned from a migrated
template, so isolation costs milliseconds)."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import asyncpg
import msgspec
import pytest
from aiohttp import web

from shared import bus, clickhouse, config, db, sealing, topology
from stack.parts import free_port
from tests.infra import Infra, make_infra

TEMPLATE_DB = "upmon_template"
# One key for the whole run: tests that compare ciphertexts across processes share it.
TEST_SECRET_KEY = sealing.generate_key()


@pytest.fixture(scope="session")
def infra(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Infra]:
    parts = make_infra(Path(tmp_path_factory.mktemp("parts")))
    yield parts
    parts.close()


def _dsn_for(admin_dsn: str, database: str) -> str:
    base, _, _ = admin_dsn.rpartition("/")
    return f"{base}/{database}"


@pytest.fixture(scope="session")
async def pg_template(infra: Infra) -> str:
    admin = infra.pg_admin_dsn()
    conn = await asyncpg.connect(admin)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{TEMPLATE_DB}"')
        await conn.execute(f'CREATE DATABASE "{TEMPLATE_DB}"')
    finally:
        await conn.close()
    await db.migrate(_dsn_for(admin, TEMPLATE_DB))
    return TEMPLATE_DB


async def new_database(infra: Infra, pg_template: str) -> str:
    """A fresh Postgres database cloned from the migrated template: its DSN."""
    name = f"t_{uuid.uuid4().hex[:12]}"
    conn = await asyncpg.connect(infra.pg_admin_dsn())
    try:
        await conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{pg_template}"')
    finally:
        await conn.close()
    return _dsn_for(infra.pg_admin_dsn(), name)


@pytest.fixture
async def pg_dsn(infra: Infra, pg_template: str) -> str:
    return await new_database(infra, pg_template)


@pytest.fixture
def nats_url(infra: Infra) -> Iterator[str]:
    handle = infra.new_nats()
    yield handle.url
    handle.close()


@pytest.fixture
async def settings(infra: Infra, pg_dsn: str, nats_url: str) -> config.Settings:
    return await make_settings(infra, pg_dsn, nats_url)


async def make_settings(infra: Infra, pg_dsn: str, nats_url: str) -> config.Settings:
    """Settings on these parts with a fresh, migrated ClickHouse database."""
    host, port = infra.clickhouse()
    s = config.load(
        {},
        nats_url=nats_url,
        pg_dsn=pg_dsn,
        clickhouse_url=f"http://{host}:{port}",
        clickhouse_database=f"t_{uuid.uuid4().hex[:12]}",
        log_format="console",
        backoff_base_s=0.2,
        backoff_max_s=2.0,
        # Short waits keep the suite quick; the linger itself is tested on its own.
        recorder_linger_s=0.2,
        secret_key=TEST_SECRET_KEY,
        # Tests fire requests faster than any person; the limit has its own tests.
        rate_limit_key_rps=100_000.0,
        rate_limit_key_burst=1_000_000,
        rate_limit_address_rps=100_000.0,
        rate_limit_address_burst=1_000_000,
    )
    await clickhouse.migrate(s)
    return s


@pytest.fixture
async def nc(settings: config.Settings) -> AsyncIterator[bus.Client]:
    conn = await bus.connect(settings.nats_url, name="test")
    await topology.ensure(bus.jetstream(conn), settings)
    yield conn
    await conn.close()


@pytest.fixture
def js(nc: bus.Client):
    return bus.jetstream(nc)


@pytest.fixture
async def pool(settings: config.Settings) -> AsyncIterator[asyncpg.Pool]:
    p = await db.connect_pool(settings.pg_dsn)
    yield p
    await p.close()


@pytest.fixture
async def ch(settings: config.Settings):
    client = await clickhouse.connect(settings, database=settings.clickhouse_database)
    yield client
    await client.close()


async def store_monitor(pool: asyncpg.Pool, monitor) -> None:
    """Put a monitor in Postgres as the api stores it (without its outbox event)."""
    await pool.execute(
        "INSERT INTO monitors (id, version, doc, tags, paused, created_at, updated_at)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7)",
        uuid.UUID(monitor.id),
        monitor.version,
        msgspec.to_builtins(monitor),
        monitor.tags,
        monitor.paused,
        monitor.created_at,
        monitor.updated_at,
    )


def settings_env(s: config.Settings) -> dict[str, str]:
    """The UPMON_* variables that give a subprocess these settings."""
    return {
        config.PREFIX + f.upper(): str(v)
        for f, v in msgspec.structs.asdict(s).items()
        if f != "replica_id"
    }


# -- local servers the stack talks to --------------------------------------------------


@dataclass
class Target:
    """A local HTTP target whose health the test switches."""

    url: str = ""
    healthy: bool = True
    delay_s: float = 0.0
    hits: int = 0
    in_flight: asyncio.Event = field(default_factory=asyncio.Event)

    async def handle(self, _: web.Request) -> web.Response:
        self.hits += 1
        self.in_flight.set()
        if self.delay_s:
            await asyncio.sleep(self.delay_s)
        return web.Response(
            text="ok" if self.healthy else "broken", status=200 if self.healthy else 503
        )


async def serve_target() -> tuple[Target, web.AppRunner]:
    t = Target()
    app = web.Application()
    app.router.add_get("/", t.handle)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    t.url = f"http://127.0.0.1:{port}/"
    return t, runner


async def serve_receiver() -> tuple[Receiver, web.AppRunner]:
    r = Receiver()
    app = web.Application()
    app.router.add_post("/hook", r.handle)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    r.url = f"http://127.0.0.1:{port}/hook"
    return r, runner


@pytest.fixture
async def target() -> AsyncIterator[Target]:
    t, runner = await serve_target()
    yield t
    await runner.cleanup()


@dataclass
class Receiver:
    """A local webhook receiver; `statuses` are answered first, then 200."""

    url: str = ""
    statuses: list[int] = field(default_factory=list)
    received: list[tuple[dict, dict[str, str], bytes]] = field(default_factory=list)
    answers: list[int] = field(default_factory=list)

    async def handle(self, request: web.Request) -> web.Response:
        body = await request.read()
        self.received.append((msgspec.json.decode(body), dict(request.headers), body))
        status = self.statuses.pop(0) if self.statuses else 200
        self.answers.append(status)
        return web.Response(status=status)

    def events(self) -> list[str]:
        return [doc["event"] for doc, _, _ in self.received]

    def accepted(self) -> list[str]:
        pairs = zip(self.received, self.answers, strict=True)
        return [doc["event"] for (doc, _, _), status in pairs if status < 300]


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    r, runner = await serve_receiver()
    yield r
    await runner.cleanup()


async def eventually(predicate, timeout: float = 20.0, interval: float = 0.05):
    """Poll an async predicate until it returns a truthy value; the value is returned.

    For state that lives in another process or server (rows in ClickHouse, a
    message in a stream), polling the state itself is the event we await."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        value = await predicate()
        if value:
            return value
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"condition not met within {timeout}s (last value: {value!r})")
        await asyncio.sleep(interval)
