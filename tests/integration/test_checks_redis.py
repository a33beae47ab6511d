"""Redis checks against real redis-server processes on loopback (servers/redis_server.py):
plaintext and TLS ports, the default user's password and ACL users, and raw servers for
the answers a real Redis would not give."""

from __future__ import annotations

import asyncio
import socket
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from shared import egress
from shared.kinds.redis import RedisOptions
from shared.monitors import Monitor
from shared.probes import Checker, Outcome
from tests.integration.servers.certs import TestCA
from tests.integration.servers.redis_server import (
    MUTE_PASSWORD,
    MUTE_USER,
    PASSWORD,
    PROBE_PASSWORD,
    PROBE_USER,
    Redis,
    redis_servers,
)

Handler = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]


def monitor(target: str, timeout_s: float = 2.0, **options) -> Monitor:
    at = datetime.now(UTC)
    return Monitor(
        id="m1",
        name="cache",
        kind="redis",
        target=target,
        timeout_s=timeout_s,
        redis=RedisOptions(**options),
        created_at=at,
        updated_at=at,
    )


@pytest.fixture(scope="module")
def ca() -> TestCA:
    return TestCA()


@pytest.fixture(scope="module")
def redis(tmp_path_factory: pytest.TempPathFactory, ca: TestCA) -> Iterator[Redis]:
    with redis_servers(Path(tmp_path_factory.mktemp("redis")), ca) as servers:
        yield servers


@pytest.fixture(scope="module")
async def trusting(redis: Redis, ca: TestCA) -> AsyncIterator[Checker]:
    async with Checker(ssl_context=ca.client_context()) as checker:
        yield checker


def assert_phases_fit(outcome: Outcome) -> None:
    p = outcome.phases
    assert p.connect_ms is not None and p.ttfb_ms is not None
    assert (p.dns_ms or 0) + p.connect_ms + (p.tls_ms or 0) + p.ttfb_ms <= outcome.latency_ms


async def test_ping_without_a_password_is_up_with_each_phase_timed(redis, trusting):
    outcome = await trusting.run(monitor(f"localhost:{redis.open_port}"))
    assert (outcome.status, outcome.error_kind, outcome.error) == ("up", None, None)
    assert outcome.phases.dns_ms is not None and outcome.phases.tls_ms is None
    assert_phases_fit(outcome)


async def test_the_default_user_s_password_and_a_database_are_up(redis, trusting):
    outcome = await trusting.run(monitor(f"127.0.0.1:{redis.port}", password=PASSWORD, database=5))
    assert (outcome.status, outcome.error) == ("up", None)
    assert outcome.phases.dns_ms is None


async def test_an_acl_user_allowed_only_ping_is_up(redis, trusting):
    options = {"username": PROBE_USER, "password": PROBE_PASSWORD, "database": 1}
    outcome = await trusting.run(monitor(f"127.0.0.1:{redis.port}", **options))
    assert (outcome.status, outcome.error) == ("up", None)


@pytest.mark.parametrize(
    ("options", "error"),
    [
        ({}, "PING was refused: NOAUTH Authentication required."),
        (
            {"password": "wrong"},
            "AUTH was refused: WRONGPASS invalid username-password pair or user is disabled.",
        ),
        (
            {"username": PROBE_USER, "password": PASSWORD},
            "AUTH was refused: WRONGPASS invalid username-password pair or user is disabled.",
        ),
        (
            {"username": MUTE_USER, "password": MUTE_PASSWORD},
            "PING was refused: NOPERM this user has no permissions to run the 'ping' command",
        ),
    ],
)
async def test_missing_wrong_or_powerless_credentials_are_down_as_auth(
    redis, trusting, options, error
):
    outcome = await trusting.run(monitor(f"127.0.0.1:{redis.port}", **options))
    assert (outcome.status, outcome.error_kind, outcome.error) == ("down", "auth", error)
    assert PASSWORD not in outcome.error


async def test_a_database_the_server_lacks_is_down_as_expect(redis, trusting):
    outcome = await trusting.run(monitor(f"127.0.0.1:{redis.port}", password=PASSWORD, database=99))
    assert (outcome.status, outcome.error_kind) == ("down", "expect")
    assert outcome.error == "SELECT answered -ERR DB index is out of range, not +OK"


async def test_tls_with_a_trusted_certificate_is_up_and_timed(redis, trusting):
    outcome = await trusting.run(
        monitor(f"localhost:{redis.tls_port}", password=PASSWORD, tls=True)
    )
    assert (outcome.status, outcome.error) == ("up", None)
    assert outcome.phases.tls_ms is not None
    assert_phases_fit(outcome)


async def test_tls_with_an_untrusted_certificate_is_down_unless_verification_is_off(redis):
    target = f"localhost:{redis.tls_port}"
    async with Checker() as system_trust:
        refused = await system_trust.run(monitor(target, password=PASSWORD, tls=True))
        unverified = await system_trust.run(
            monitor(target, password=PASSWORD, tls=True, verify_tls=False)
        )
    assert (refused.status, refused.error_kind) == ("down", "tls")
    assert "certificate verify failed" in refused.error
    assert unverified.status == "up"


async def test_plaintext_to_the_tls_port_is_down_not_hung(redis, trusting):
    outcome = await trusting.run(monitor(f"127.0.0.1:{redis.tls_port}", password=PASSWORD))
    assert outcome.status == "down"
    assert outcome.error_kind == "connection"


@pytest.fixture(scope="module")
async def raw() -> AsyncIterator[Callable[[Handler], Awaitable[int]]]:
    """Servers that answer as no healthy Redis does."""
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
    for task in handlers:
        task.cancel()
    await asyncio.gather(*handlers, return_exceptions=True)


async def pang(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    await reader.readuntil(b"PING\r\n")
    writer.write(b"+PANG\r\n")
    await writer.drain()


async def http_like(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    await reader.read(1)
    writer.write(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")
    await writer.drain()


async def silent(_reader: asyncio.StreamReader, _writer: asyncio.StreamWriter) -> None:
    await asyncio.sleep(5)


@pytest.mark.parametrize(
    ("handler", "error"),
    [
        (pang, "PING answered +PANG, not +PONG"),
        (http_like, "not a Redis reply: 'HTTP/1.1 400 Bad Request'"),
    ],
)
async def test_a_wrong_answer_is_down_quoting_it(raw, trusting, handler, error):
    port = await raw(handler)
    outcome = await trusting.run(monitor(f"127.0.0.1:{port}"))
    assert (outcome.status, outcome.error_kind, outcome.error) == ("down", "expect", error)


async def test_a_silent_server_times_out_naming_the_reply_it_waited_for(raw, trusting):
    port = await raw(silent)
    began = time.monotonic()
    outcome = await trusting.run(monitor(f"127.0.0.1:{port}", timeout_s=0.3, password="pw"))
    assert 0.3 <= time.monotonic() - began < 0.6
    assert (outcome.status, outcome.error_kind) == ("down", "timeout")
    assert outcome.error == "no response within 0.3 s while waiting for the reply to AUTH"


async def test_a_refused_port_is_down(trusting):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    outcome = await trusting.run(monitor(f"127.0.0.1:{port}"))
    assert (outcome.status, outcome.error_kind) == ("down", "refused")
    assert outcome.error == f"connection refused by 127.0.0.1:{port}"


async def test_a_denied_target_is_refused_before_connecting(redis):
    before = redis.connections_received()
    async with Checker(policy=egress.Policy(private=True)) as private_denied:
        outcome = await private_denied.run(monitor(f"127.0.0.1:{redis.port}", password=PASSWORD))
        metadata = await private_denied.run(monitor("169.254.169.254"))
    assert (outcome.status, outcome.error_kind) == ("down", "egress_denied")
    assert "127.0.0.1 is a private address" in outcome.error
    assert outcome.phases.connect_ms is None
    # One more: the INFO just asked for after; none from the check.
    assert redis.connections_received() == before + 1
    assert (metadata.error_kind, metadata.phases.connect_ms) == ("egress_denied", None)
    assert "169.254.169.254" in metadata.error
