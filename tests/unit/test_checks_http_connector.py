"""The connector hook that splits TCP connect from TLS handshake relies on a private
aiohttp method: these tests fail loudly when an aiohttp upgrade stops calling it."""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import aiohttp
import pytest

from services.executor.checks import Checker, timing
from services.executor.checks.connector import TimedConnector
from shared.monitors import Monitor

BROKEN = "aiohttp no longer calls TimedConnector._wrap_create_connection: connect_ms is lost"


async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    await reader.readuntil(b"\r\n\r\n")
    writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok")
    await writer.drain()
    writer.close()


@pytest.fixture
async def url() -> AsyncIterator[str]:
    server = await asyncio.start_server(answer, "127.0.0.1", 0)
    async with server:
        yield f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}/"


async def test_the_private_api_the_hook_mirrors_is_still_there():
    params = inspect.signature(aiohttp.TCPConnector._wrap_create_connection).parameters
    assert {"addr_infos", "req", "timeout", "client_error"} <= params.keys()
    assert callable(getattr(aiohttp.TCPConnector, "_wrap_existing_connection", None))
    connector = aiohttp.TCPConnector()
    try:
        for name in (
            "_local_addr_infos",
            "_happy_eyeballs_delay",
            "_interleave",
            "_socket_factory",
            "_ssl_shutdown_timeout",
        ):
            assert hasattr(connector, name), f"aiohttp.TCPConnector lost {name}"
    finally:
        await connector.close()


async def test_the_connector_hook_is_called(url):
    timeline = timing.Timeline()
    token = timing.current.set(timeline)
    try:
        async with (
            aiohttp.ClientSession(connector=TimedConnector(force_close=True)) as session,
            session.get(url) as response,
        ):
            assert await response.text() == "ok"
    finally:
        timing.current.reset(token)
    assert timeline.phases().connect_ms is not None, BROKEN


async def test_checks_report_connect_ms_from_the_hook(url):
    at = datetime.now(UTC)
    probe = Monitor(
        id="m", name="m", kind="http", target=url, timeout_s=2, created_at=at, updated_at=at
    )
    async with Checker() as checker:
        outcome = await checker.run(probe)
    assert outcome.status == "up"
    assert outcome.phases.connect_ms is not None, BROKEN
    assert outcome.phases.tls_ms is None


async def test_requests_outside_a_check_are_not_timed(url):
    async with (
        aiohttp.ClientSession(connector=TimedConnector(force_close=True)) as session,
        session.get(url) as response,
    ):
        assert response.status == 200
