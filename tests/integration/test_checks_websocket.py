"""WebSocket checks against a real WebSocket server (aiohttp's, a protocol implementation
apart from the client's) on loopback, plain and over TLS, and raw servers that misbehave."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import hashlib
import socket
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from aiohttp import WSMsgType, web

from shared import egress
from shared.kinds.websocket import WebsocketOptions
from shared.monitors import Monitor
from shared.probes import Checker, Outcome
from tests.integration.servers.certs import Issued, TestCA

Handler = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]


def monitor(target: str, timeout_s: float = 2.0, **spec: Any) -> Monitor:
    at = datetime.now(UTC)
    return Monitor(
        id="m1", name="socket", kind="websocket", target=target, timeout_s=timeout_s,
        websocket=WebsocketOptions(**spec), created_at=at, updated_at=at,
    )  # fmt: skip


# -- the server ------------------------------------------------------------------------


async def echo(request: web.Request) -> web.WebSocketResponse:
    """Greets, echoes each text message, and closes with 4000 when told "bye"."""
    ws = web.WebSocketResponse(protocols=("chat",))
    await ws.prepare(request)
    await ws.send_str("hello")
    async for message in ws:
        if message.type == WSMsgType.TEXT and message.data == "bye":
            await ws.close(code=4000, message=b"see you")
        elif message.type == WSMsgType.TEXT:
            await ws.send_str(f"echo: {message.data}")
    return ws


async def quiet(request: web.Request) -> web.WebSocketResponse:
    """Upgrades, then says nothing until the client leaves."""
    ws = web.WebSocketResponse()
    await ws.prepare(request)
    async for _message in ws:
        pass
    return ws


async def pinged(request: web.Request) -> web.WebSocketResponse:
    """Pings every 50 ms and drops a client that does not answer; says "late" after 0.4 s."""
    ws = web.WebSocketResponse(heartbeat=0.05)
    await ws.prepare(request)

    async def later() -> None:
        await asyncio.sleep(0.4)
        await ws.send_str("late")

    task = asyncio.create_task(later())
    async for _message in ws:
        pass
    task.cancel()
    return ws


async def big(request: web.Request) -> web.WebSocketResponse:
    ws = web.WebSocketResponse()
    await ws.prepare(request)
    await ws.send_str("x" * 300_000)
    async for _message in ws:
        pass
    return ws


async def private(request: web.Request) -> web.StreamResponse:
    """Upgrades only the app's own pages that bring the token."""
    if request.headers.get("Authorization") != "Bearer s3cret":
        return web.Response(status=401)
    if request.headers.get("Origin") != "https://app.example.com":
        return web.Response(status=403)
    return await quiet(request)


async def forbidden(_request: web.Request) -> web.Response:
    return web.Response(status=403, text="no sockets for you")


@pytest.fixture(scope="module")
def ca() -> TestCA:
    return TestCA()


@pytest.fixture(scope="module")
async def site(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Callable[..., Any]]:
    """Starts the app on a free loopback port, plain or presenting a certificate."""
    app = web.Application()
    app.router.add_get("/echo", echo)
    app.router.add_get("/quiet", quiet)
    app.router.add_get("/forbidden", forbidden)
    app.router.add_get("/pinged", pinged)
    app.router.add_get("/big", big)
    app.router.add_get("/private", private)
    runner = web.AppRunner(app, shutdown_timeout=0.5)
    await runner.setup()
    directory = Path(tmp_path_factory.mktemp("wss"))

    async def start(issued: Issued | None = None) -> int:
        context = issued.server_context(directory) if issued is not None else None
        tcp = web.TCPSite(runner, "127.0.0.1", 0, ssl_context=context)
        await tcp.start()
        return tcp._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    yield start
    await runner.cleanup()


@pytest.fixture(scope="module")
async def plain(site) -> int:
    return await site()


@pytest.fixture(scope="module")
async def raw() -> AsyncIterator[Callable[[Handler], Awaitable[int]]]:
    servers: list[asyncio.Server] = []

    async def start(handler: Handler) -> int:
        server = await asyncio.start_server(handler, "127.0.0.1", 0)
        servers.append(server)
        return server.sockets[0].getsockname()[1]

    yield start
    for server in servers:
        server.close()


async def mute(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    await reader.read()
    writer.close()


async def bad_accept(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    await reader.readuntil(b"\r\n\r\n")
    writer.write(
        b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        b"Sec-WebSocket-Accept: bm90IHRoZSByaWdodCBrZXk=\r\n\r\n"
    )
    await writer.drain()
    await reader.read()
    writer.close()


def upgrade_then(frames: bytes) -> Handler:
    """Answers the upgrade as RFC 6455 says, sends `frames` as they are, and hangs up."""

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = await reader.readuntil(b"\r\n\r\n")
        key = next(
            line.split(b":", 1)[1].strip()
            for line in head.split(b"\r\n")
            if line.lower().startswith(b"sec-websocket-key:")
        )
        digest = hashlib.sha1(key + b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11").digest()
        writer.write(
            b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            b"Sec-WebSocket-Accept: " + base64.b64encode(digest) + b"\r\n\r\n" + frames
        )
        await writer.drain()
        writer.close()

    return handle


@pytest.fixture(scope="module")
async def checker() -> AsyncIterator[Checker]:
    async with Checker() as shared:
        yield shared


@contextlib.contextmanager
def closed_port() -> Iterator[int]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        yield sock.getsockname()[1]


def assert_timed(outcome: Outcome, *phases: str) -> None:
    p = outcome.phases
    spent = [getattr(p, name) for name in phases]
    assert None not in spent, p
    assert sum(spent) <= outcome.latency_ms


# -- ws:// -----------------------------------------------------------------------------


async def test_an_upgrade_alone_is_up_with_connect_and_upgrade_phases(plain, checker):
    outcome = await checker.run(monitor(f"ws://127.0.0.1:{plain}/quiet"))
    assert (outcome.status, outcome.error_kind, outcome.error) == ("up", None, None)
    assert_timed(outcome, "connect_ms", "ttfb_ms")
    assert outcome.phases.dns_ms is None
    assert outcome.phases.transfer_ms is None


async def test_a_sent_message_and_its_expected_reply_are_up_with_every_phase(plain, checker):
    outcome = await checker.run(
        monitor(f"ws://localhost:{plain}/echo", send="ping", expect="echo: ping")
    )
    assert (outcome.status, outcome.error) == ("up", None)
    assert_timed(outcome, "dns_ms", "connect_ms", "ttfb_ms", "transfer_ms")


async def test_the_negotiated_subprotocol_is_reported(plain, checker):
    outcome = await checker.run(
        monitor(f"ws://127.0.0.1:{plain}/echo", subprotocols=["graphql-ws", "chat"])
    )
    assert outcome.status == "up"
    assert outcome.details == {"subprotocol": "chat"}


async def test_a_close_before_the_expected_message_is_down_expect(plain, checker):
    outcome = await checker.run(
        monitor(f"ws://127.0.0.1:{plain}/echo", send="bye", expect="goodbye")
    )
    assert (outcome.status, outcome.error_kind) == ("down", "expect")
    assert outcome.error == (
        "expected a message containing 'goodbye', but the server closed the connection with "
        "code 4000 ('see you') after 1 other message, the last 5 bytes starting 'hello'"
    )
    assert outcome.latency_ms is not None
    assert outcome.phases.transfer_ms is not None


async def test_the_expected_close_code_is_up(plain, checker):
    outcome = await checker.run(
        monitor(f"ws://127.0.0.1:{plain}/echo", send="bye", close_code=4000)
    )
    assert outcome.status == "up"
    assert outcome.details["close_code"] == 4000


async def test_another_close_code_is_down_naming_both(plain, checker):
    outcome = await checker.run(
        monitor(f"ws://127.0.0.1:{plain}/echo", send="bye", close_code=1000)
    )
    assert (outcome.status, outcome.error_kind) == ("down", "expect")
    assert outcome.error == (
        "expected close code 1000, but the server closed the connection with code 4000 ('see you')"
    )


async def test_the_servers_pings_are_answered_while_waiting(plain, checker):
    outcome = await checker.run(monitor(f"ws://127.0.0.1:{plain}/pinged", expect="late"))
    assert (outcome.status, outcome.error) == ("up", None)
    assert outcome.phases.transfer_ms >= 300


async def test_a_message_over_the_read_limit_is_body_too_large(plain, checker):
    outcome = await checker.run(monitor(f"ws://127.0.0.1:{plain}/big", expect="y"))
    assert (outcome.status, outcome.error_kind) == ("down", "body_too_large")
    assert outcome.error == (
        "expected a message containing 'y', but the server sent a message over the "
        "262144 bytes a check reads before sending any message"
    )


async def test_the_origin_and_bearer_token_are_sent_with_the_upgrade(plain, checker):
    target = f"ws://127.0.0.1:{plain}/private"
    spec = {"origin": "https://app.example.com", "bearer_token": "s3cret"}
    outcome = await checker.run(monitor(target, **spec))
    assert (outcome.status, outcome.error) == ("up", None)
    without = await checker.run(monitor(target, origin="https://app.example.com"))
    assert (without.error_kind, without.http_status) == ("http_status", 401)


async def test_an_http_answer_instead_of_an_upgrade_is_down_with_its_status(plain, checker):
    outcome = await checker.run(monitor(f"ws://127.0.0.1:{plain}/forbidden"))
    assert (outcome.status, outcome.error_kind, outcome.http_status) == ("down", "http_status", 403)
    assert outcome.error == "the server answered 403 Forbidden instead of switching to WebSocket"
    assert outcome.phases.ttfb_ms is not None


async def test_a_wrong_accept_key_is_down_protocol(raw, checker):
    port = await raw(bad_accept)
    outcome = await checker.run(monitor(f"ws://127.0.0.1:{port}/"))
    assert (outcome.status, outcome.error_kind) == ("down", "protocol")
    assert "Sec-WebSocket-Accept" in outcome.error


async def test_a_connection_dropped_after_the_upgrade_is_down_expect(raw, checker):
    port = await raw(upgrade_then(b""))
    outcome = await checker.run(monitor(f"ws://127.0.0.1:{port}/", expect="hello"))
    assert (outcome.status, outcome.error_kind) == ("down", "expect")
    assert outcome.error == (
        "expected a message containing 'hello', but the server dropped the connection "
        "without a close frame before sending any message"
    )


async def test_a_malformed_frame_is_down_protocol(raw, checker):
    # FIN and opcode 3, which RFC 6455 reserves.
    port = await raw(upgrade_then(b"\x83\x00"))
    outcome = await checker.run(monitor(f"ws://127.0.0.1:{port}/", expect="hello"))
    assert (outcome.status, outcome.error_kind) == ("down", "protocol")
    assert "broke the WebSocket protocol" in outcome.error


async def test_no_expected_message_times_out_naming_what_it_waited_for(plain, checker):
    outcome = await checker.run(monitor(f"ws://127.0.0.1:{plain}/echo", timeout_s=0.3, expect="x"))
    assert (outcome.status, outcome.error_kind) == ("down", "timeout")
    assert outcome.error == (
        "no response within 0.3 s while waiting for a message containing 'x' "
        "(got 1 other message, the last 5 bytes starting 'hello')"
    )
    assert outcome.phases.ttfb_ms is not None


async def test_no_upgrade_answer_times_out_naming_the_upgrade(raw, checker):
    port = await raw(mute)
    outcome = await checker.run(monitor(f"ws://127.0.0.1:{port}/", timeout_s=0.3))
    assert (outcome.status, outcome.error_kind) == ("down", "timeout")
    assert outcome.error == "no response within 0.3 s while waiting for the upgrade response"
    assert outcome.phases.connect_ms is not None


async def test_refused_port(checker):
    with closed_port() as port:
        outcome = await checker.run(monitor(f"ws://127.0.0.1:{port}/"))
    assert (outcome.status, outcome.error_kind) == ("down", "refused")
    assert outcome.error == f"connection refused by 127.0.0.1:{port}"


# -- wss:// ----------------------------------------------------------------------------


async def test_wss_with_a_trusted_certificate_is_up_with_a_tls_phase(ca, site):
    issued = ca.issue()
    port = await site(issued)
    async with Checker(ssl_context=ca.client_context()) as trusting:
        outcome = await trusting.run(monitor(f"wss://localhost:{port}/echo", expect="hello"))
    assert (outcome.status, outcome.error) == ("up", None)
    assert_timed(outcome, "dns_ms", "connect_ms", "tls_ms", "ttfb_ms", "transfer_ms")
    assert outcome.cert_subject == "CN=localhost, O=upmon tests"
    assert outcome.cert_issuer == "CN=upmon test CA, O=upmon tests"
    assert abs(outcome.cert_expires_at - issued.not_after) <= timedelta(seconds=1)


async def test_wss_with_an_unknown_ca_is_cert_invalid_unless_verification_is_off(ca, site, checker):
    port = await site(ca.issue())
    outcome = await checker.run(monitor(f"wss://localhost:{port}/quiet"))
    assert (outcome.status, outcome.error_kind) == ("down", "cert_invalid")
    assert "unable to get local issuer certificate" in outcome.error
    unverified = await checker.run(monitor(f"wss://localhost:{port}/quiet", verify_tls=False))
    assert unverified.status == "up"


async def test_wss_with_an_expired_certificate_is_cert_expired(ca, site):
    port = await site(ca.issue(days=-2, valid_from_days=-30))
    async with Checker(ssl_context=ca.client_context()) as trusting:
        outcome = await trusting.run(monitor(f"wss://localhost:{port}/quiet"))
    assert (outcome.status, outcome.error_kind) == ("down", "cert_expired")
    assert outcome.phases.tls_ms is not None


# -- egress ----------------------------------------------------------------------------


async def test_a_metadata_address_is_egress_denied_before_connecting(checker):
    outcome = await checker.run(monitor("ws://169.254.169.254/socket"))
    assert (outcome.status, outcome.error_kind) == ("down", "egress_denied")
    assert "169.254.169.254" in outcome.error
    assert outcome.phases.connect_ms is None


async def test_a_denied_private_address_gets_no_connection(raw):
    seen: list[str] = []
    arrived = asyncio.Event()

    async def note(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        seen.append((await reader.read(64)).decode(errors="replace"))
        arrived.set()
        writer.close()

    port = await raw(note)
    async with Checker(policy=egress.Policy(private=True)) as private:
        outcome = await private.run(monitor(f"ws://127.0.0.1:{port}/"))
    assert outcome.error_kind == "egress_denied", outcome
    # A connection of our own, after the check: when it is seen, one from the check would be too.
    _reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(b"sentinel")
    await writer.drain()
    await asyncio.wait_for(arrived.wait(), 5)
    writer.close()
    assert seen == ["sentinel"]
