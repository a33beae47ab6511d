"""TCP checks against real asyncio servers on loopback."""

from __future__ import annotations

import asyncio
import socket
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime

import pytest

from shared.kinds.tcp import TcpSpec
from shared.monitors import Monitor
from shared.probes import Checker

Handler = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]


def monitor(target: str, timeout_s: float = 2.0, **spec: str) -> Monitor:
    at = datetime.now(UTC)
    return Monitor(
        id="m1",
        name="tcp target",
        kind="tcp",
        target=target,
        timeout_s=timeout_s,
        tcp=TcpSpec(**spec),
        created_at=at,
        updated_at=at,
    )


async def pong(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    line = await reader.readline()
    writer.write(b"+PONG\r\n" if line.strip() == b"PING" else b"-ERR unknown\r\n")
    await writer.drain()


async def banner(_reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    writer.write(b"220 mail.example ESMTP ready\r\n")
    await writer.drain()
    await asyncio.sleep(5)


async def silent(_reader: asyncio.StreamReader, _writer: asyncio.StreamWriter) -> None:
    await asyncio.sleep(5)


@pytest.fixture(scope="module")
async def serve() -> AsyncIterator[Callable[[Handler], Awaitable[int]]]:
    servers: list[asyncio.Server] = []
    handlers: set[asyncio.Task[None]] = set()

    async def start(handler: Handler) -> int:
        async def tracked(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            handlers.add(asyncio.current_task())  # type: ignore[arg-type]
            try:
                await handler(reader, writer)
            finally:
                writer.close()

        server = await asyncio.start_server(tracked, "127.0.0.1", 0)
        servers.append(server)
        return server.sockets[0].getsockname()[1]

    yield start
    for server in servers:
        server.close()
    # Handlers that hold a connection open would outlive the servers otherwise.
    for task in handlers:
        task.cancel()
    await asyncio.gather(*handlers, return_exceptions=True)


@pytest.fixture(scope="module")
async def checker() -> AsyncIterator[Checker]:
    async with Checker() as shared:
        yield shared


async def test_connect_only_is_up(serve, checker):
    port = await serve(silent)
    outcome = await checker.run(monitor(f"127.0.0.1:{port}"))
    assert outcome.status == "up"
    assert outcome.error_kind is None
    assert outcome.phases.connect_ms is not None
    assert outcome.phases.dns_ms is None
    assert outcome.latency_ms >= outcome.phases.connect_ms


async def test_host_name_adds_a_dns_phase(serve, checker):
    port = await serve(silent)
    outcome = await checker.run(monitor(f"localhost:{port}"))
    assert outcome.status == "up"
    assert outcome.phases.dns_ms is not None
    assert outcome.phases.dns_ms + outcome.phases.connect_ms <= outcome.latency_ms


async def test_send_and_expect(serve, checker):
    port = await serve(pong)
    outcome = await checker.run(monitor(f"127.0.0.1:{port}", send="PING\r\n", expect="+PONG"))
    assert outcome.status == "up"


async def test_expect_mismatch(serve, checker):
    port = await serve(pong)
    outcome = await checker.run(monitor(f"127.0.0.1:{port}", send="HELLO\r\n", expect="+PONG"))
    assert outcome.status == "down"
    assert outcome.error_kind == "expect"
    assert outcome.error == (
        "expected b'+PONG', but the peer closed after sending 14 bytes starting '-ERR unknown'"
    )
    assert outcome.latency_ms is not None


async def test_expect_a_banner_without_sending(serve, checker):
    port = await serve(banner)
    outcome = await checker.run(monitor(f"127.0.0.1:{port}", expect="220 "))
    assert outcome.status == "up"


async def test_no_reply_times_out_on_the_deadline(serve, checker):
    port = await serve(silent)
    began = time.monotonic()
    outcome = await checker.run(monitor(f"127.0.0.1:{port}", timeout_s=0.3, expect="OK"))
    assert 0.3 <= time.monotonic() - began < 0.6
    assert outcome.status == "down"
    assert outcome.error_kind == "timeout"
    assert outcome.error == "no response within 0.3 s while waiting for b'OK'"
    assert outcome.phases.connect_ms is not None


async def test_wrong_banner_times_out_saying_what_came(serve, checker):
    port = await serve(banner)
    outcome = await checker.run(monitor(f"127.0.0.1:{port}", timeout_s=0.3, expect="+OK"))
    assert outcome.error_kind == "timeout"
    assert "received 30 bytes starting '220 mail.example ESMTP ready'" in outcome.error


async def test_refused_port(checker):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    outcome = await checker.run(monitor(f"127.0.0.1:{port}"))
    assert outcome.status == "down"
    assert outcome.error_kind == "refused"
    assert outcome.error == f"connection refused by 127.0.0.1:{port}"


async def test_unresolvable_host(checker):
    outcome = await checker.run(monitor("no-such-host.invalid:5432"))
    assert outcome.status == "down"
    assert outcome.error_kind == "dns"
    assert outcome.error.startswith("could not resolve no-such-host.invalid")
