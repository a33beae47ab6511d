"""TLS checks against real TLS servers on loopback, with certificates made for each test run."""

from __future__ import annotations

import asyncio
import contextlib
import socket
import ssl
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from shared.kinds.tls import TlsSpec
from shared.monitors import Monitor
from shared.probes import Checker, Outcome
from tests.integration.servers.certs import Issued, TestCA, self_signed

Serve = Callable[..., Awaitable[int]]


def monitor(target: str, timeout_s: float = 2.0, warn_days: int = 14) -> Monitor:
    at = datetime.now(UTC)
    return Monitor(
        id="m1",
        name="tls target",
        kind="tls",
        target=target,
        timeout_s=timeout_s,
        tls=TlsSpec(warn_days=warn_days),
        created_at=at,
        updated_at=at,
    )


async def hold(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    # Until the client leaves: a handshake refused by the client ends here with an error.
    try:
        await reader.read()
    except (OSError, ssl.SSLError):
        pass
    finally:
        writer.close()


async def plain_text(_reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    writer.write(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")
    await writer.drain()
    writer.close()


async def mute(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    await reader.read()
    writer.close()


@pytest.fixture(scope="module")
def ca() -> TestCA:
    return TestCA()


@pytest.fixture(scope="module")
async def serve(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Serve]:
    directory = Path(tmp_path_factory.mktemp("tls"))
    servers: list[asyncio.Server] = []

    async def start(issued: Issued | None, handler=hold) -> int:
        context = issued.server_context(directory) if issued is not None else None
        server = await asyncio.start_server(handler, "127.0.0.1", 0, ssl=context)
        servers.append(server)
        return server.sockets[0].getsockname()[1]

    yield start
    for server in servers:
        server.close()


@pytest.fixture(scope="module")
async def trusting(ca: TestCA) -> AsyncIterator[Checker]:
    async with Checker(ssl_context=ca.client_context()) as checker:
        yield checker


def assert_timed(outcome: Outcome) -> None:
    p = outcome.phases
    assert p.connect_ms is not None
    assert p.tls_ms is not None
    assert (p.dns_ms or 0) + p.connect_ms + p.tls_ms <= outcome.latency_ms


def assert_cert(outcome: Outcome, issued: Issued, issuer: str) -> None:
    assert abs(outcome.cert_expires_at - issued.not_after) <= timedelta(seconds=1)
    assert outcome.cert_issuer == issuer
    assert outcome.cert_subject == "CN=localhost, O=upmon tests"
    left = (issued.not_after - datetime.now(UTC)) // timedelta(days=1)
    assert outcome.details == {"days_left": left}


async def test_valid_certificate_is_up(ca, serve, trusting):
    issued = ca.issue(days=90.5)
    port = await serve(issued)
    outcome = await trusting.run(monitor(f"localhost:{port}"))
    assert (outcome.status, outcome.error_kind, outcome.error) == ("up", None, None)
    assert outcome.details == {"days_left": 90}
    assert_cert(outcome, issued, "CN=upmon test CA, O=upmon tests")
    assert_timed(outcome)
    assert outcome.phases.dns_ms is not None


async def test_ip_target_is_checked_against_the_ip_san(ca, serve, trusting):
    port = await serve(ca.issue())
    outcome = await trusting.run(monitor(f"127.0.0.1:{port}"))
    assert outcome.status == "up"
    assert outcome.phases.dns_ms is None
    assert_timed(outcome)


async def test_expiring_soon_is_degraded(ca, serve, trusting):
    issued = ca.issue(days=5.5)
    port = await serve(issued)
    outcome = await trusting.run(monitor(f"localhost:{port}", warn_days=14))
    assert (outcome.status, outcome.error_kind) == ("degraded", None)
    assert outcome.error == "certificate expires in 5 days (warn_days 14)"
    assert_cert(outcome, issued, "CN=upmon test CA, O=upmon tests")


async def test_warn_days_below_the_time_left_is_up(ca, serve, trusting):
    port = await serve(ca.issue(days=5.5))
    outcome = await trusting.run(monitor(f"localhost:{port}", warn_days=5))
    assert outcome.status == "up"


async def test_expired_certificate(ca, serve, trusting):
    issued = ca.issue(days=-10.5, valid_from_days=-100)
    port = await serve(issued)
    outcome = await trusting.run(monitor(f"localhost:{port}"))
    assert (outcome.status, outcome.error_kind) == ("down", "cert_expired")
    assert outcome.error.startswith("certificate expired on ")
    assert outcome.error.endswith("(10 days ago)")
    assert_cert(outcome, issued, "CN=upmon test CA, O=upmon tests")
    assert_timed(outcome)


async def test_untrusted_self_signed_certificate(serve, trusting):
    issued = self_signed()
    port = await serve(issued)
    outcome = await trusting.run(monitor(f"localhost:{port}"))
    assert (outcome.status, outcome.error_kind) == ("down", "cert_invalid")
    assert outcome.error == "certificate is not trusted: self-signed certificate"
    assert_cert(outcome, issued, "CN=localhost, O=upmon tests")


async def test_unknown_ca_is_invalid_without_extra_trust(ca, serve):
    port = await serve(ca.issue())
    async with Checker() as checker:
        outcome = await checker.run(monitor(f"localhost:{port}"))
    assert (outcome.status, outcome.error_kind) == ("down", "cert_invalid")
    assert "unable to get local issuer certificate" in outcome.error


async def test_expired_and_self_signed_says_expired(serve, trusting):
    port = await serve(self_signed(days=-2, valid_from_days=-30))
    outcome = await trusting.run(monitor(f"localhost:{port}"))
    assert (outcome.status, outcome.error_kind) == ("down", "cert_expired")


async def test_wrong_host_name(ca, serve, trusting):
    issued = ca.issue(("www.upmon.test",))
    port = await serve(issued)
    outcome = await trusting.run(monitor(f"localhost:{port}"))
    assert (outcome.status, outcome.error_kind) == ("down", "hostname_mismatch")
    assert outcome.error == "certificate is not valid for localhost (it covers www.upmon.test)"
    assert outcome.cert_subject == "CN=www.upmon.test, O=upmon tests"


async def test_wrong_ip(ca, serve, trusting):
    port = await serve(ca.issue(("localhost", "127.0.0.2")))
    outcome = await trusting.run(monitor(f"127.0.0.1:{port}"))
    assert outcome.error_kind == "hostname_mismatch"


async def test_plain_text_server_is_a_tls_error(serve, trusting):
    port = await serve(None, plain_text)
    outcome = await trusting.run(monitor(f"localhost:{port}"))
    assert (outcome.status, outcome.error_kind) == ("down", "tls")
    assert outcome.error.startswith(f"TLS failure with localhost:{port}: ")
    assert outcome.phases.connect_ms is not None


async def test_silent_handshake_times_out_naming_the_stage(serve, trusting):
    port = await serve(None, mute)
    outcome = await trusting.run(monitor(f"127.0.0.1:{port}", timeout_s=0.3))
    assert (outcome.status, outcome.error_kind) == ("down", "timeout")
    assert outcome.error == "no response within 0.3 s during the TLS handshake"
    assert outcome.phases.connect_ms is not None


async def test_refused_port(trusting):
    with socket_bound() as port:
        outcome = await trusting.run(monitor(f"127.0.0.1:{port}"))
    assert (outcome.status, outcome.error_kind) == ("down", "refused")


@contextlib.contextmanager
def socket_bound() -> Iterator[int]:
    """A port nobody listens on, held so that no other test takes it meanwhile."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        yield sock.getsockname()[1]
