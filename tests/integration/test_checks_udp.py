"""UDP checks against real datagram servers on loopback."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime
from typing import Any

import pytest

from shared import egress
from shared.kinds.udp import UdpOptions
from shared.monitors import Monitor
from shared.probes import Checker

Answer = Callable[[bytes], bytes | None]


def monitor(target: str, timeout_s: float = 2.0, **spec: Any) -> Monitor:
    at = datetime.now(UTC)
    return Monitor(
        id="m1", name="datagram", kind="udp", target=target, timeout_s=timeout_s,
        udp=UdpOptions(**spec), created_at=at, updated_at=at,
    )  # fmt: skip


class Server(asyncio.DatagramProtocol):
    """Answers each datagram with what `answer` makes of it (None: no answer)."""

    def __init__(self, answer: Answer) -> None:
        self.answer = answer
        self.received: list[bytes] = []
        self.arrived = asyncio.Event()

    def connection_made(self, transport: Any) -> None:
        self.transport = transport

    def datagram_received(self, data: bytes, addr: Any) -> None:
        self.received.append(data)
        self.arrived.set()
        reply = self.answer(data)
        if reply is not None:
            self.transport.sendto(reply, addr)


@pytest.fixture(scope="module")
async def serve() -> AsyncIterator[Callable[[Answer], Any]]:
    transports = []

    async def start(answer: Answer) -> tuple[int, Server]:
        loop = asyncio.get_running_loop()
        transport, server = await loop.create_datagram_endpoint(
            lambda: Server(answer), local_addr=("127.0.0.1", 0)
        )
        transports.append(transport)
        return transport.get_extra_info("sockname")[1], server

    yield start
    for transport in transports:
        transport.close()


@pytest.fixture(scope="module")
async def pong(serve) -> int:
    port, _server = await serve(lambda data: b"PONG " + data if data.startswith(b"PING") else b"?")
    return port


@pytest.fixture(scope="module")
async def checker() -> AsyncIterator[Checker]:
    async with Checker() as shared:
        yield shared


async def test_the_expected_reply_is_up_with_the_wait_timed(pong, checker):
    outcome = await checker.run(monitor(f"127.0.0.1:{pong}", send="PING", expect="PONG"))
    assert (outcome.status, outcome.error_kind, outcome.error) == ("up", None, None)
    assert outcome.phases.ttfb_ms is not None
    assert outcome.phases.dns_ms is None
    assert outcome.phases.ttfb_ms <= outcome.latency_ms
    assert outcome.details == {"reply_bytes": 9}


async def test_any_reply_is_up_when_nothing_is_expected(pong, checker):
    outcome = await checker.run(monitor(f"127.0.0.1:{pong}", send="hello"))
    assert outcome.status == "up"


def _has_ipv6_loopback() -> bool:
    try:
        with socket.socket(socket.AF_INET6, socket.SOCK_DGRAM) as sock:
            sock.bind(("::1", 0))
    except OSError:
        return False
    return True


@pytest.mark.skipif(not _has_ipv6_loopback(), reason="this machine has no IPv6 loopback (::1)")
async def test_an_ipv6_literal_target_is_answered(checker):
    loop = asyncio.get_running_loop()
    transport, _server = await loop.create_datagram_endpoint(
        lambda: Server(lambda data: b"PONG " + data), local_addr=("::1", 0)
    )
    try:
        port = transport.get_extra_info("sockname")[1]
        outcome = await checker.run(monitor(f"[::1]:{port}", send="PING", expect="PONG"))
    finally:
        transport.close()
    assert (outcome.status, outcome.error) == ("up", None)


async def test_a_host_name_adds_a_dns_phase(pong, checker):
    outcome = await checker.run(monitor(f"localhost:{pong}", send="PING", expect="PONG"))
    assert outcome.status == "up"
    assert outcome.phases.dns_ms is not None
    assert outcome.phases.dns_ms + outcome.phases.ttfb_ms <= outcome.latency_ms


async def test_hex_payloads_are_sent_and_matched_as_bytes(serve, checker):
    port, server = await serve(lambda data: b"\x00\x01" + data[::-1])
    spec = {"send": "de ad be ef", "expect": "0001efbe", "encoding": "hex"}
    outcome = await checker.run(monitor(f"127.0.0.1:{port}", **spec))
    assert outcome.status == "up", outcome
    assert server.received[-1] == b"\xde\xad\xbe\xef"


async def test_a_wrong_reply_is_down_expect_showing_it(pong, checker):
    outcome = await checker.run(monitor(f"127.0.0.1:{pong}", send="HELLO", expect="PONG"))
    assert (outcome.status, outcome.error_kind) == ("down", "expect")
    assert outcome.error == "expected b'PONG', but the reply was 1 byte starting '?'"
    assert outcome.latency_ms is not None


async def test_a_wrong_hex_reply_is_shown_in_hex(pong, checker):
    outcome = await checker.run(
        monitor(f"127.0.0.1:{pong}", send="00", expect="ff", encoding="hex")
    )
    assert outcome.error == "expected hex ff, but the reply was 1 byte: hex 3f"


async def test_no_reply_times_out_naming_the_wait(serve, checker):
    port, server = await serve(lambda _data: None)
    outcome = await checker.run(monitor(f"127.0.0.1:{port}", timeout_s=0.3, send="anyone?"))
    assert (outcome.status, outcome.error_kind) == ("down", "timeout")
    assert outcome.error == "no response within 0.3 s while waiting for a reply"
    assert server.received == [b"anyone?"]


async def test_a_closed_port_is_refused(checker):
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    outcome = await checker.run(monitor(f"127.0.0.1:{port}", send="x"))
    assert (outcome.status, outcome.error_kind) == ("down", "refused")
    assert (
        outcome.error == f"127.0.0.1:{port} refused the datagram: no one listens on that UDP port"
    )


async def test_an_unresolvable_host_is_dns(checker):
    outcome = await checker.run(monitor("no-such-host.invalid:53", send="x"))
    assert (outcome.status, outcome.error_kind) == ("down", "dns")


async def test_a_metadata_address_is_egress_denied(checker):
    outcome = await checker.run(monitor("169.254.169.254:53", send="x"))
    assert (outcome.status, outcome.error_kind) == ("down", "egress_denied")
    assert "169.254.169.254" in outcome.error
    assert outcome.phases.ttfb_ms is None


async def test_a_denied_private_address_gets_no_datagram(serve):
    port, server = await serve(lambda data: data)
    async with Checker(policy=egress.Policy(private=True)) as private:
        outcome = await private.run(monitor(f"127.0.0.1:{port}", send="from the check"))
    assert outcome.error_kind == "egress_denied", outcome
    # A datagram of our own, after the check: once it is in, one from the check would be too.
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.sendto(b"sentinel", ("127.0.0.1", port))
    await asyncio.wait_for(server.arrived.wait(), 5)
    assert server.received == [b"sentinel"]
