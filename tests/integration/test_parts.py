"""The embedded parts on their real binaries: start, restart, crash and misuse."""

from __future__ import annotations

import contextlib
import http.client
import socket
import time
from pathlib import Path

import asyncpg
import clickhouse_connect
import nats
import psutil
import pytest

from stack.parts import (
    ClickHouseServer,
    NatsServer,
    PartError,
    PostgresServer,
    ensure_port_free,
    free_port,
)
from tests.infra import EmbeddedInfra

PARTS = {"nats": NatsServer, "postgres": PostgresServer, "clickhouse": ClickHouseServer}


def _still_running(pids: list[int], within: float = 3.0) -> list[int]:
    """Pids that are still running after ``within`` seconds.

    Children killed with their parent are reaped by init, not by us, so they may linger as
    zombies for a moment; those count as gone.
    """
    deadline = time.monotonic() + within
    while True:
        running = []
        for pid in pids:
            with contextlib.suppress(psutil.NoSuchProcess):
                if psutil.Process(pid).status() != psutil.STATUS_ZOMBIE:
                    running.append(pid)
        if not running or time.monotonic() > deadline:
            return running
        time.sleep(0.05)


def _part(name: str, data_dir: Path, port: int | None = None):
    return PARTS[name](data_dir, port or free_port())


@pytest.fixture
def started():
    """Parts created through this fixture are killed even when a test fails half-way."""
    parts = []

    def start(part):
        parts.append(part)
        part.start()
        return part

    yield start
    for part in parts:
        part.kill()


async def test_postgres_data_survives_restart(tmp_path, started):
    pg = started(PostgresServer(tmp_path, free_port()))
    conn = await asyncpg.connect(pg.url)
    await conn.execute("CREATE TABLE checks (id int PRIMARY KEY, name text)")
    await conn.execute("INSERT INTO checks VALUES (1, 'home page')")
    await conn.close()

    pg.stop()
    pg.start()

    conn = await asyncpg.connect(pg.url)
    assert await conn.fetchval("SELECT name FROM checks WHERE id = 1") == "home page"
    assert await conn.fetchval("SELECT current_database()") == "upmon"
    await conn.close()


async def test_postgres_restarts_after_kill_9(tmp_path, started):
    pg = started(PostgresServer(tmp_path, free_port(), database="crashy"))
    conn = await asyncpg.connect(pg.url)
    await conn.execute("CREATE TABLE t (x int)")
    await conn.execute("INSERT INTO t VALUES (42)")
    await conn.close()

    pg.kill()
    assert (tmp_path / "postgres" / "postmaster.pid").exists()
    pg.start()

    conn = await asyncpg.connect(pg.url)
    assert await conn.fetchval("SELECT x FROM t") == 42
    await conn.close()


def test_postgres_dsn_names_the_database(tmp_path):
    pg = PostgresServer(tmp_path, 6543)
    assert pg.url == "postgresql://postgres@127.0.0.1:6543/upmon"
    assert pg.dsn("other") == "postgresql://postgres@127.0.0.1:6543/other"


def test_postgres_that_dies_on_start_reports_its_log(tmp_path, started):
    pg = started(PostgresServer(tmp_path, free_port()))
    pg.stop()
    with open(tmp_path / "postgres" / "postgresql.conf", "a") as conf:
        conf.write("\nno_such_setting = 1\n")

    with pytest.raises(PartError) as err:
        pg.start()

    message = str(err.value)
    assert message.startswith("postgres: exited with code")
    assert "no_such_setting" in message
    assert not pg.alive()


def test_clickhouse_data_survives_restart(tmp_path, started):
    ch = started(ClickHouseServer(tmp_path, free_port()))
    client = clickhouse_connect.get_client(host="127.0.0.1", port=ch.port)
    client.command("CREATE TABLE probes (id UInt32, ms Float64) ENGINE = MergeTree ORDER BY id")
    client.insert("probes", [[1, 12.5], [2, 30.0]], column_names=["id", "ms"])
    client.close()

    ch.stop()
    ch.start()

    client = clickhouse_connect.get_client(host="127.0.0.1", port=ch.port)
    assert client.query("SELECT count(), sum(ms) FROM probes").result_rows == [(2, 42.5)]
    client.close()


async def test_nats_jetstream_stream_survives_restart(tmp_path, started):
    server = started(NatsServer(tmp_path, free_port()))
    nc = await nats.connect(server.url)
    js = nc.jetstream()
    await js.add_stream(name="EVENTS", subjects=["events.>"])
    for i in range(3):
        await js.publish("events.probe", f"{i}".encode())
    await nc.close()

    server.stop()
    server.start()

    nc = await nats.connect(server.url)
    info = await nc.jetstream().stream_info("EVENTS")
    await nc.close()
    assert info.state.messages == 3


def test_nats_monitor_port_reports_jetstream_healthy(tmp_path, started):
    monitor = free_port()
    started(NatsServer(tmp_path, free_port(), monitor_port=monitor))
    conn = http.client.HTTPConnection("127.0.0.1", monitor, timeout=5)
    conn.request("GET", "/healthz?js-enabled-only=true")
    assert conn.getresponse().status == 200
    conn.close()


@pytest.mark.parametrize("name", list(PARTS))
def test_port_in_use_is_a_clear_error(tmp_path, name):
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", 0))
        squatter.listen()
        port = squatter.getsockname()[1]
        part = _part(name, tmp_path, port)

        began = time.monotonic()
        with pytest.raises(PartError) as err:
            part.start(timeout=10)

    assert time.monotonic() - began < 1
    assert str(err.value) == f"{name}: port {port} is already in use"
    assert not part.alive()


def test_ensure_port_free_accepts_a_free_port():
    ensure_port_free(free_port(), "anything")


@pytest.mark.parametrize("name", list(PARTS))
def test_stop_leaves_no_process(tmp_path, name):
    part = _part(name, tmp_path)
    part.start()
    pid = part.pid
    assert pid is not None and part.alive()
    family = [pid, *(c.pid for c in psutil.Process(pid).children(recursive=True))]

    part.stop()
    part.stop()  # idempotent

    assert not part.alive()
    assert part.pid is None
    assert _still_running(family) == []


def test_kill_takes_down_postgres_helpers_too(tmp_path):
    pg = _part("postgres", tmp_path)
    pg.start()
    family = [pg.pid, *(c.pid for c in psutil.Process(pg.pid).children(recursive=True))]
    assert len(family) > 1

    pg.kill()
    pg.kill()  # idempotent

    assert _still_running(family) == []


def test_parts_log_into_their_data_dir(tmp_path, started):
    nats_server = started(NatsServer(tmp_path, free_port()))
    nats_server.stop()
    nats_server.start()
    log = (tmp_path / "nats.log").read_text()
    assert log.count("--- upmon: starting nats") == 2
    assert "Server is ready" in log
    assert (tmp_path / "nats" / "jetstream").is_dir()


async def test_embedded_infra_gives_each_test_its_own_nats(tmp_path):
    infra = EmbeddedInfra(tmp_path)
    try:
        first, second = infra.new_nats(), infra.new_nats()
        assert first.url != second.url
        nc = await nats.connect(first.url)
        await nc.jetstream().add_stream(name="ONLY_IN_FIRST", subjects=["x.>"])
        await nc.close()

        nc = await nats.connect(second.url)
        names = await nc.jetstream().streams_info()
        await nc.close()
        assert names == []
        first.close()
        second.close()

        conn = await asyncpg.connect(infra.pg_admin_dsn())
        await conn.execute("CREATE DATABASE scratch")
        await conn.close()
        host, port = infra.clickhouse()
        client = clickhouse_connect.get_client(host=host, port=port)
        assert client.command("SELECT 1") == 1
        client.close()
    finally:
        infra.close()
