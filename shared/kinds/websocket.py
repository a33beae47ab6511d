"""WebSocket checks: an upgrade over ws:// or wss://, then optionally a message sent, a
message expected and the close code the server ends with.

The connection is made here, to an address the egress policy judged, and websockets'
sans-I/O client speaks the protocol over it, so each phase is timed on the live
connection: dns_ms, connect_ms, tls_ms, the wait for the upgrade's answer as ttfb_ms
and the message exchange as transfer_ms.

shared.probes is imported where a check runs, not at the top: it imports the monitor
schema, which is built from this registry."""

from __future__ import annotations

import asyncio
import collections
import ssl
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Annotated, Any
from urllib.parse import urlsplit

from msgspec import Meta
from websockets.client import ClientProtocol
from websockets.exceptions import InvalidMessage, InvalidStatus, InvalidURI, PayloadTooBig
from websockets.frames import DATA_OPCODES, EXTERNAL_CLOSE_CODES, Frame, Opcode
from websockets.protocol import OPEN
from websockets.uri import WebSocketURI, parse_uri

from shared import egress
from shared.bounds import plain
from shared.kinds.base import FieldError, FormField, MonitorKind, Options, ProbeContext, url_error
from shared.sealing import MASK, is_sealed

if TYPE_CHECKING:
    from shared.probes.outcome import Outcome
    from shared.probes.timing import Timeline

SCHEMES = ("ws", "wss")
MAX_MESSAGE = 4096
# One message, and all that is read while looking for the expected one: a server that
# streams more without it has failed the check.
_MAX_SIZE = 256 * 1024
_READ_LIMIT = 1024 * 1024
_CHUNK = 64 * 1024
_PREVIEW = 64

_MAX_ORIGIN = 512
MAX_TOKEN = 2048
# Room for the sealed form of the longest token (shared.sealing), which the stored
# monitor holds.
_SEALED_ROOM = 4096

Subprotocol = Annotated[str, Meta(pattern=r"^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,64}(?![\s\S])")]
Details = dict[str, str | int | float | bool | list[str] | None]


class WebsocketOptions(Options):
    # A text message sent once the upgrade is done.
    send: Annotated[str, Meta(max_length=MAX_MESSAGE)] | None = None
    # Up when a message from the server contains this text.
    expect: Annotated[str, Meta(min_length=1, max_length=1024)] | None = None
    # Up only when the server then closes with this code; None: upmon closes (1000).
    close_code: Annotated[int, Meta(ge=1000, le=4999)] | None = None
    # Offered in Sec-WebSocket-Protocol; the server must choose one of them.
    subprotocols: Annotated[list[Subprotocol], Meta(max_length=8)] = []
    # Sent as Origin, for servers that accept only their own pages' sockets.
    origin: Annotated[str, plain(_MAX_ORIGIN, 1)] | None = None
    # Sent as `Authorization: Bearer ...`; a secret: sealed at rest, masked when shown.
    bearer_token: Annotated[str, plain(_SEALED_ROOM, 1)] | None = None
    verify_tls: bool = True


def rules(fields: Any, spec: WebsocketOptions) -> list[FieldError]:
    found = []
    if message := _url_error(fields.target):
        found.append(FieldError("target", message))
    if spec.close_code is not None and not _sendable(spec.close_code):
        message = "must be a code a server may send: 1000-1003, 1007-1014 or 3000-4999"
        found.append(FieldError("websocket.close_code", message))
    if len(set(spec.subprotocols)) != len(spec.subprotocols):
        found.append(FieldError("websocket.subprotocols", "must not repeat a subprotocol"))
    if spec.origin is not None and (message := _origin_error(spec.origin)):
        found.append(FieldError("websocket.origin", message))
    return found + _token_errors(fields.target, spec.bearer_token)


def _origin_error(origin: str) -> str | None:
    """RFC 6454: scheme, host and port, nothing after them."""
    if message := url_error(origin, "websocket", ("https", "http")):
        return message
    parts = urlsplit(origin)
    if parts.path or parts.query or parts.fragment or parts.username is not None:
        return "must be scheme://host[:port] only, as a browser sends it"
    return None


def _token_errors(target: str, token: str | None) -> list[FieldError]:
    if token is None or is_sealed(token) or token == MASK:
        return []
    if len(token.encode("utf-8", "surrogatepass")) > MAX_TOKEN:
        return [FieldError("websocket.bearer_token", f"must be at most {MAX_TOKEN} bytes")]
    if _url_error(target) is None and urlsplit(target).username is not None:
        message = "give a user in the target or a bearer_token, not both"
        return [FieldError("websocket.bearer_token", message)]
    return []


def _url_error(url: str) -> str | None:
    if message := url_error(url, "websocket", SCHEMES):
        return message
    if urlsplit(url).fragment:
        return "a WebSocket URL has no #fragment"
    # What the check will parse it with: a URL accepted here is one it can connect to.
    try:
        parse_uri(url)
    except InvalidURI as exc:
        return exc.msg
    except UnicodeError:
        return "the user part is not valid percent-encoded UTF-8"
    return None


def _sendable(code: int) -> bool:
    """RFC 6455 7.4: 3000-4999 are for libraries and applications; below, only the
    registered codes that may appear in a close frame."""
    return code in EXTERNAL_CLOSE_CODES or 3000 <= code <= 4999


async def probe(
    ctx: ProbeContext, monitor: Any, spec: WebsocketOptions, timeline: Timeline
) -> Outcome:
    from shared.probes.timing import ceil_us, now_ms

    uri = parse_uri(monitor.target)
    started = now_ms()
    context = _context(ctx, spec) if uri.secure else None
    try:
        reader, writer, der = await _open(uri, context, timeline)
    except ssl.SSLCertVerificationError as exc:
        return _rejected(exc, uri.host, ceil_us(now_ms() - started), timeline)
    try:
        session = _Session(uri, spec, reader, writer)
        failed = await _upgrade(session, timeline) or await _exchange(session, spec, timeline)
        latency = ceil_us(now_ms() - started)
        session.close()
    finally:
        writer.close()
    outcome = failed or _result("up", details=session.details())
    outcome.latency_ms = latency
    outcome.phases = timeline.phases()
    if der:
        _with_cert(outcome, der)
    return outcome


def _down(kind: str, error: str, **more: Any) -> Outcome:
    return _result("down", error_kind=kind, error=error, **more)


def _result(status: str, **fields: Any) -> Outcome:
    from shared.probes.outcome import Outcome

    return Outcome(status=status, **fields)  # type: ignore[arg-type]


# -- connecting ------------------------------------------------------------------------


async def _open(
    uri: WebSocketURI, context: ssl.SSLContext | None, timeline: Timeline
) -> tuple[asyncio.StreamReader, asyncio.StreamWriter, bytes | None]:
    """Streams to the server, over TLS for wss://, and the certificate it presented."""
    from shared.probes import tcp, tls

    reader, writer = await tcp.connect(uri.host, uri.port, timeline)
    if context is None:
        return reader, writer, None
    try:
        # The certificate is verified against the name in the URL, not the address.
        der = await tls.start_tls(writer, uri.host, context, timeline)
    except BaseException:
        writer.close()
        raise
    return reader, writer, der


def _context(ctx: ProbeContext, spec: WebsocketOptions) -> ssl.SSLContext:
    from shared.probes import tls

    if not spec.verify_tls:
        return tls.unverifying()
    return ctx.ssl_context or tls.verifying()


def _with_cert(outcome: Outcome, der: bytes) -> None:
    """The certificate's identity and expiry, as a tls check reports them."""
    from shared.probes.tls import parse_cert

    cert = parse_cert(der)
    outcome.cert_expires_at = cert.expires_at
    outcome.cert_issuer = cert.issuer
    outcome.cert_subject = cert.subject


def _rejected(
    exc: ssl.SSLCertVerificationError, host: str, latency: float, timeline: Timeline
) -> Outcome:
    from shared.probes import tls

    kind, message = tls.rejection(exc, host, None, datetime.now(UTC))
    return _down(kind, message, latency_ms=latency, phases=timeline.phases())


# -- the protocol ----------------------------------------------------------------------


class _Session:
    """The sans-I/O protocol and the streams it runs on, read one frame at a time."""

    def __init__(
        self,
        uri: WebSocketURI,
        spec: WebsocketOptions,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
    ) -> None:
        offered: Any = list(spec.subprotocols) or None
        origin: Any = spec.origin
        self.protocol = ClientProtocol(uri, origin=origin, subprotocols=offered, max_size=_MAX_SIZE)
        self.bearer_token = spec.bearer_token
        self.reader, self.writer = reader, writer
        self.pending: collections.deque[Any] = collections.deque()
        self.eof = False
        self.received = 0

    def flush(self) -> None:
        if not self.eof:
            for data in self.protocol.data_to_send():
                if data:  # b"" asks for a half-close: the connection is closed whole instead
                    self.writer.write(data)

    async def next(self) -> Any:
        """The next event (the upgrade's response, then frames); None once the peer is
        gone or broke the protocol."""
        while not self.pending:
            if self.eof or self.protocol.parser_exc is not None:
                return None
            self.flush()
            await self.writer.drain()
            data = await self.reader.read(_CHUNK)
            if data:
                self.received += len(data)
                self.protocol.receive_data(data)
            else:
                self.eof = True
                self.protocol.receive_eof()
            self.pending.extend(self.protocol.events_received())
        return self.pending.popleft()

    async def message(self) -> bytes | None:
        """The next whole data message; None once the server closed or broke the protocol.
        Pings are answered by the protocol on the next flush."""
        parts: list[bytes] = []
        while (event := await self.next()) is not None:
            if isinstance(event, Frame) and event.opcode is Opcode.CLOSE:
                return None
            if isinstance(event, Frame) and (event.opcode in DATA_OPCODES or parts):
                parts.append(bytes(event.data))
                if event.fin:
                    return b"".join(parts)
        return None

    def ending(self) -> tuple[str, str]:
        """The error kind and how the connection ended, once message() returned None."""
        broken = self.protocol.parser_exc
        if isinstance(broken, PayloadTooBig):
            return "body_too_large", f"sent a message over the {_MAX_SIZE} bytes a check reads"
        if broken is not None and not isinstance(broken, EOFError):
            return "protocol", f"broke the WebSocket protocol: {broken}"
        close = self.protocol.close_rcvd
        if close is None:
            return "expect", "dropped the connection without a close frame"
        reason = f" ({egress.excerpt(close.reason, _PREVIEW)!r})" if close.reason else ""
        return "expect", f"closed the connection with code {close.code}{reason}"

    def close(self) -> None:
        """Ends the connection without waiting for the server's answer to it."""
        if self.protocol.state is OPEN:
            self.protocol.send_close(1000)
        self.flush()

    def details(self) -> Details:
        details: Details = {}
        if self.protocol.subprotocol:
            details["subprotocol"] = str(self.protocol.subprotocol)
        if self.protocol.close_rcvd is not None:
            details["close_code"] = self.protocol.close_rcvd.code
        return details


async def _upgrade(session: _Session, timeline: Timeline) -> Outcome | None:
    from shared.probes.wire import USER_AGENT

    request = session.protocol.connect()
    request.headers["User-Agent"] = USER_AGENT
    if session.bearer_token:
        request.headers["Authorization"] = f"Bearer {session.bearer_token}"
    session.protocol.send_request(request)
    timeline.start("ttfb_ms")
    timeline.waiting = "while waiting for the upgrade response"
    await session.next()
    timeline.stop("ttfb_ms")
    timeline.waiting = None
    return _refused(session.protocol.handshake_exc)


def _refused(exc: Exception | None) -> Outcome | None:
    if exc is None:
        return None
    if isinstance(exc, InvalidStatus):
        status, phrase = exc.response.status_code, exc.response.reason_phrase
        error = f"the server answered {status} {phrase} instead of switching to WebSocket"
        return _down("http_status", error, http_status=status)
    if isinstance(exc, InvalidMessage) and isinstance(exc.__cause__, EOFError):
        return _down("connection", "the server closed the connection without answering the upgrade")
    return _down("protocol", f"invalid upgrade response: {exc}")


async def _exchange(
    session: _Session, spec: WebsocketOptions, timeline: Timeline
) -> Outcome | None:
    if spec.send is not None:
        session.protocol.send_text(spec.send.encode())
        session.flush()
    if spec.expect is None and spec.close_code is None:
        return None
    timeline.start("transfer_ms")
    failed = None
    if spec.expect is not None:
        failed = await _expect(session, spec.expect, timeline)
    if failed is None and spec.close_code is not None:
        failed = await _closes_with(session, spec.close_code, timeline)
    timeline.stop("transfer_ms")
    timeline.waiting = None
    return failed


async def _expect(session: _Session, expected: str, timeline: Timeline) -> Outcome | None:
    wanted, seen = expected.encode(), 0
    timeline.waiting = f"while waiting for a message containing {expected!r}"
    while (message := await session.message()) is not None:
        if wanted in message:
            return None
        seen += 1
        last = f"{seen} other message{'s' * (seen != 1)}, the last {_preview(message)}"
        if session.received >= _READ_LIMIT:
            return _down("expect", f"no message contained {expected!r} in the first "
                                   f"{_READ_LIMIT} bytes received ({last})")  # fmt: skip
        timeline.waiting = f"while waiting for a message containing {expected!r} (got {last})"
    kind, how = session.ending()
    after = f" after {last}" if seen else " before sending any message"
    return _down(kind, f"expected a message containing {expected!r}, but the server {how}{after}")


async def _closes_with(session: _Session, code: int, timeline: Timeline) -> Outcome | None:
    timeline.waiting = f"while waiting for the server to close with code {code}"
    while await session.message() is not None:
        if session.received >= _READ_LIMIT:
            return _down("expect", f"the server sent {_READ_LIMIT} bytes without closing")
    kind, how = session.ending()
    close = session.protocol.close_rcvd
    if kind == "expect" and close is not None and close.code == code:
        return None
    return _down(kind, f"expected close code {code}, but the server {how}")


def _preview(data: bytes) -> str:
    """A message is the server's to tell: only a short, printable excerpt of it is shown."""
    return f"{len(data)} bytes starting {egress.excerpt(data[:_PREVIEW], _PREVIEW)!r}"


KIND = MonitorKind(
    name="websocket",
    title="WebSocket",
    options=WebsocketOptions,
    target="url",
    url_schemes=SCHEMES,
    target_example="wss://example.com/socket",
    probe=probe,
    rules=rules,
    secrets=("bearer_token",),
    form=(
        FormField("send", "Message to send (optional)", "textarea"),
        FormField("expect", "Expected text in a message (optional)"),
        FormField("close_code", "Expected close code (optional)", "number", placeholder="1000"),
        FormField("subprotocols", "Subprotocols (optional)", "list", placeholder="graphql-ws"),
        FormField("origin", "Origin (optional)", placeholder="https://app.example.com"),
        FormField("bearer_token", "Bearer token (optional)", "password"),
        FormField("verify_tls", "Verify the TLS certificate", "checkbox"),
    ),
    summary="Upgrades to a WebSocket (ws:// or wss://); optionally sends a message and "
    "expects one back, or a close code.",
    # protocol: the server broke the WebSocket protocol (a bad handshake or frame).
    error_kinds=frozenset(
        {
            "protocol",
            "http_status",
            "expect",
            "body_too_large",
            "cert_expired",
            "cert_invalid",
            "hostname_mismatch",
        }
    ),
)
