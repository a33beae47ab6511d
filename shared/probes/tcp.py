"""TCP checks: connect, optionally send bytes, optionally wait for expected bytes."""

from __future__ import annotations

import asyncio

import aiohappyeyeballs

from shared import egress
from shared.kinds.base import host_port
from shared.kinds.tcp import TcpSpec
from shared.monitors import Monitor
from shared.probes.outcome import Outcome
from shared.probes.resolve import addr_infos, is_ip_literal
from shared.probes.timing import Timeline, ceil_us, now_ms

# Same stagger as aiohttp's connector, so tcp and http checks pick addresses alike.
_STAGGER_S = 0.25
# asyncio's own default.
_STREAM_LIMIT = 64 * 1024
# Enough for any banner; a peer that streams more without the expected bytes has failed.
_EXPECT_LIMIT = 64 * 1024
_PREVIEW = 64


async def probe(monitor: Monitor, timeline: Timeline) -> Outcome:
    host, port = host_port(monitor.target)
    spec = monitor.tcp or TcpSpec()
    started = now_ms()
    reader, writer = await connect(host, port, timeline)
    try:
        mismatch = await _converse(reader, writer, spec, timeline)
        latency = ceil_us(now_ms() - started)
    finally:
        writer.close()
    phases = timeline.phases()
    if mismatch is not None:
        return Outcome(
            status="down", latency_ms=latency, error_kind="expect", error=mismatch, phases=phases
        )
    return Outcome(status="up", latency_ms=latency, phases=phases)


async def connect(
    host: str, port: int, timeline: Timeline, *, limit: int = _STREAM_LIMIT
) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    """Streams to the first judged address that answers, the lookup timed as dns_ms and
    the connect as connect_ms; `limit` bounds a line the reader will look for an end in.
    Every kind that speaks its protocol over TCP connects here."""
    if is_ip_literal(host):
        infos = await addr_infos(host, port)
    else:
        timeline.start("dns_ms")
        infos = await addr_infos(host, port)
        timeline.stop("dns_ms")
    timeline.start("connect_ms")
    sock = await aiohappyeyeballs.start_connection(infos, happy_eyeballs_delay=_STAGGER_S)
    try:
        streams = await asyncio.open_connection(sock=sock, limit=limit)
    except BaseException:
        sock.close()
        raise
    timeline.stop("connect_ms")
    return streams


async def _converse(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, spec: TcpSpec, timeline: Timeline
) -> str | None:
    if spec.send is not None:
        writer.write(spec.send.encode())
        await writer.drain()
    if spec.expect is None:
        return None
    return await _expect(reader, spec.expect.encode(), timeline)


async def _expect(reader: asyncio.StreamReader, expected: bytes, timeline: Timeline) -> str | None:
    received = b""
    while expected not in received:
        timeline.waiting = _waiting(expected, received)
        if len(received) >= _EXPECT_LIMIT:
            return f"expected {expected!r} within the first {_EXPECT_LIMIT} bytes received"
        chunk = await reader.read(_EXPECT_LIMIT - len(received))
        if not chunk:
            return f"expected {expected!r}, but the peer closed after sending {_preview(received)}"
        received += chunk
    timeline.waiting = None
    return None


def _waiting(expected: bytes, received: bytes) -> str:
    if not received:
        return f"while waiting for {expected!r}"
    return f"while waiting for {expected!r} (received {_preview(received)})"


def _preview(data: bytes) -> str:
    """A banner is the peer's to tell: only a short, printable excerpt of it is shown."""
    if not data:
        return "nothing"
    return f"{len(data)} bytes starting {egress.excerpt(data[:_PREVIEW], _PREVIEW)!r}"
