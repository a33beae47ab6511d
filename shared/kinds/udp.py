"""UDP checks: send one datagram, expect a reply (with given bytes in it) within the
monitor's timeout.

Payloads are text as written, or hex digits when `encoding` is hex, for binary
protocols. The reply is awaited on a socket connected to the one judged address, so
only that peer's datagrams are read, and a closed port's ICMP answer reads as refused.

shared.probes is imported where a check runs, not at the top: it imports the monitor
schema, which is built from this registry."""

from __future__ import annotations

import asyncio
import socket
from typing import TYPE_CHECKING, Annotated, Any, Literal

from msgspec import Meta

from shared import egress
from shared.kinds.base import (
    FieldError,
    FormField,
    MonitorKind,
    Options,
    ProbeContext,
    host_port,
    host_port_error,
)

if TYPE_CHECKING:
    from shared.probes.outcome import Outcome
    from shared.probes.timing import Timeline

MAX_PAYLOAD = 4096
# Hex digits of MAX_PAYLOAD bytes, with a space between each pair.
_MAX_HEX = 3 * MAX_PAYLOAD
_PREVIEW = 64

Encoding = Literal["text", "hex"]


class UdpOptions(Options):
    # The datagram sent; None sends an empty one.
    send: Annotated[str, Meta(max_length=_MAX_HEX)] | None = None
    # Up when the reply contains these bytes; None: any reply will do.
    expect: Annotated[str, Meta(min_length=1, max_length=_MAX_HEX)] | None = None
    # How send and expect are written: text as it is (UTF-8), or hex digits.
    encoding: Encoding = "text"


def payload(value: str, encoding: Encoding) -> bytes:
    """The bytes a validated send or expect stands for; ValueError for bad hex."""
    return bytes.fromhex(value) if encoding == "hex" else value.encode()


def rules(fields: Any, spec: UdpOptions) -> list[FieldError]:
    found = []
    if message := host_port_error(fields.target, port_required=True):
        found.append(FieldError("target", message))
    for name in ("send", "expect"):
        value = getattr(spec, name)
        if value is not None and (message := _payload_error(value, spec.encoding)):
            found.append(FieldError(f"udp.{name}", message))
    return found


def _payload_error(value: str, encoding: Encoding) -> str | None:
    try:
        data = payload(value, encoding)
    except ValueError:
        return "must be hex digits in pairs (spaces between pairs allowed)"
    if len(data) > MAX_PAYLOAD:
        return f"must be at most {MAX_PAYLOAD} bytes"
    if encoding == "hex" and value and not data:
        return "must hold at least one byte"
    return None


async def probe(_ctx: ProbeContext, monitor: Any, spec: UdpOptions, timeline: Timeline) -> Outcome:
    from shared.probes.timing import now_ms

    host, port = host_port(monitor.target)
    started = now_ms()
    family, address = await _resolve(host, port, timeline)
    try:
        data = payload(spec.send or "", spec.encoding)
        reply = await _exchange(family, address, data, timeline)
    except ConnectionRefusedError:
        error = f"{host}:{port} refused the datagram: no one listens on that UDP port"
        return _outcome("down", started, timeline, error_kind="refused", error=error)
    expected = None if spec.expect is None else payload(spec.expect, spec.encoding)
    details: dict[str, Any] = {"reply_bytes": len(reply)}
    if expected is None or expected in reply:
        return _outcome("up", started, timeline, details=details)
    error = f"expected {_show(expected, spec.encoding)}, but the reply was " + _preview(
        reply, spec.encoding
    )
    return _outcome("down", started, timeline, error_kind="expect", error=error, details=details)


def _outcome(status: Any, started: float, timeline: Timeline, **more: Any) -> Outcome:
    from shared.probes.outcome import Outcome
    from shared.probes.timing import ceil_us, now_ms

    latency = ceil_us(now_ms() - started)
    return Outcome(status=status, latency_ms=latency, phases=timeline.phases(), **more)


async def _resolve(host: str, port: int, timeline: Timeline) -> tuple[int, Any]:
    """The first judged address: a datagram goes to one peer, there is nothing to race."""
    from shared.probes.resolve import addr_infos, is_ip_literal

    if is_ip_literal(host):
        infos = await addr_infos(host, port)
    else:
        timeline.start("dns_ms")
        infos = await addr_infos(host, port)
        timeline.stop("dns_ms")
    family, _type, _proto, _name, address = infos[0]
    return family, address


class _Reply(asyncio.DatagramProtocol):
    def __init__(self, future: asyncio.Future[bytes]) -> None:
        self.future = future

    def datagram_received(self, data: bytes, addr: Any) -> None:
        if not self.future.done():
            self.future.set_result(data)

    def error_received(self, exc: Exception) -> None:
        if not self.future.done():
            self.future.set_exception(exc)


async def _open(family: int, address: Any) -> tuple[asyncio.DatagramTransport, asyncio.Future]:
    loop = asyncio.get_running_loop()
    reply: asyncio.Future[bytes] = loop.create_future()
    sock = socket.socket(family, socket.SOCK_DGRAM)
    try:
        sock.setblocking(False)
        # Connecting a UDP socket sends nothing: it only fixes the one peer it talks to.
        sock.connect(address)
        transport, _ = await loop.create_datagram_endpoint(lambda: _Reply(reply), sock=sock)
    except BaseException:
        sock.close()
        raise
    return transport, reply


async def _exchange(family: int, address: Any, data: bytes, timeline: Timeline) -> bytes:
    transport, reply = await _open(family, address)
    try:
        transport.sendto(data)
        timeline.start("ttfb_ms")
        timeline.waiting = "while waiting for a reply"
        try:
            received = await reply
        except OSError:
            # Refused is an answer, and it took its time; a timeout leaves the wait open
            # so that its message names it.
            timeline.stop("ttfb_ms")
            raise
        timeline.stop("ttfb_ms")
        timeline.waiting = None
        return received
    finally:
        transport.close()


def _show(data: bytes, encoding: Encoding) -> str:
    more = "..." if len(data) > _PREVIEW else ""
    if encoding == "hex":
        return f"hex {data[:_PREVIEW].hex(' ')}{more}"
    return f"{data[:_PREVIEW]!r}{more}"


def _preview(data: bytes, encoding: Encoding) -> str:
    """A reply is the peer's to tell: only a short, printable excerpt of it is shown."""
    if not data:
        return "empty"
    if encoding == "hex":
        return f"{_bytes(data)}: {_show(data, encoding)}"
    return f"{_bytes(data)} starting {egress.excerpt(data[:_PREVIEW], _PREVIEW)!r}"


def _bytes(data: bytes) -> str:
    return f"{len(data)} byte{'s' * (len(data) != 1)}"


KIND = MonitorKind(
    name="udp",
    title="UDP",
    options=UdpOptions,
    target="host_port",
    target_example="ntp.example.com:123",
    probe=probe,
    rules=rules,
    form=(
        FormField("send", "Datagram to send", "textarea"),
        FormField("expect", "Expected bytes in the reply (optional)"),
        FormField("encoding", "Written as", "select", choices=("text", "hex")),
    ),
    summary="Sends one UDP datagram and expects a reply (with given bytes) within the timeout.",
    error_kinds=frozenset({"expect"}),
)
