"""Redis: connect (optionally over TLS), AUTH when a password is given, SELECT a database
other than 0, then PING, expecting PONG. RESP is spoken here over an asyncio stream, so
the check connects only to addresses the egress policy judged and bounds every reply."""

from __future__ import annotations

import asyncio
import ssl
from typing import TYPE_CHECKING, Annotated, Any

from msgspec import Meta

from shared import egress
from shared.bounds import plain
from shared.kinds.base import (
    FieldError,
    FormField,
    MonitorKind,
    Options,
    ProbeContext,
    errors,
    host_port,
    host_port_error,
)
from shared.sealing import MASK, is_sealed

if TYPE_CHECKING:
    from shared.probes.outcome import Outcome
    from shared.probes.timing import Timeline

DEFAULT_PORT = 6379
MAX_PASSWORD = 512
# Room for the sealed form of the longest password (shared.sealing: prefix, key id,
# base64 of nonce + ciphertext + tag), which is what the stored monitor holds.
_SEALED_ROOM = 1024
# The replies read here are one line (+OK, +PONG, -ERR ...); a bulk reply is bounded too.
_LINE_LIMIT = 4096
_EXCERPT = 120

Reply = tuple[str, str]  # (RESP type byte, its text)


class RedisOptions(Options, kw_only=True):
    # An ACL user (Redis 6+); None: the default user.
    username: Annotated[str, plain(256, 1)] | None = None
    # Sent with AUTH; None: no AUTH at all.
    password: Annotated[str, plain(_SEALED_ROOM, 1)] | None = None
    # SELECTed before the PING when not 0 (a server has 16 by default).
    database: Annotated[int, Meta(ge=0, le=65535)] = 0
    tls: bool = False
    # With tls: the certificate must be valid for the host (extra CAs: UPMON_CA_FILE).
    verify_tls: bool = True


def rules(fields: Any, spec: RedisOptions) -> list[FieldError]:
    problems = errors("target", host_port_error(fields.target, port_required=False))
    if spec.username is not None and spec.password is None:
        problems.append(FieldError("redis.username", "needs a password (redis.password)"))
    # Bytes, not characters: it is the UTF-8 that gets sealed into the stored field.
    password = spec.password or ""
    too_long = len(password.encode("utf-8", "surrogatepass")) > MAX_PASSWORD
    if too_long and not (is_sealed(password) or password == MASK):
        problems.append(FieldError("redis.password", f"must be at most {MAX_PASSWORD} bytes"))
    return problems


class Refused(Exception):
    """The server answered, but not with what a healthy, reachable Redis answers."""

    def __init__(self, error_kind: str, message: str) -> None:
        super().__init__(message)
        self.error_kind = error_kind
        self.message = message


def commands(spec: RedisOptions) -> list[list[str]]:
    """What the check sends, in order, all at once: one round trip whatever it asks."""
    sent: list[list[str]] = []
    if spec.password is not None:
        sent.append(["AUTH", *([spec.username] if spec.username else []), spec.password])
    if spec.database:
        sent.append(["SELECT", str(spec.database)])
    sent.append(["PING"])
    return sent


def encode(command: list[str]) -> bytes:
    """A RESP array of bulk strings: any byte of a password travels as it is."""
    parts = [f"*{len(command)}\r\n".encode()]
    for arg in command:
        data = arg.encode("utf-8", "surrogatepass")
        parts.append(b"$%d\r\n%s\r\n" % (len(data), data))
    return b"".join(parts)


def verdict(sent: list[list[str]], replies: list[Reply]) -> Refused | None:
    """The first reply that is not the healthy one, as the problem it shows; None: all fine."""
    for command, (kind, text) in zip(sent, replies, strict=True):
        name = command[0]
        if name == "AUTH" and kind == "-":
            return Refused("auth", f"AUTH was refused: {text}")
        if kind == "-" and text.split(" ", 1)[0] in ("NOAUTH", "WRONGPASS", "NOPERM"):
            return Refused("auth", f"{name} was refused: {text}")
        healthy = "PONG" if name == "PING" else "OK"
        if (kind, text) != ("+", healthy):
            return Refused("expect", f"{name} answered {_shown(kind, text)}, not +{healthy}")
    return None


def _shown(kind: str, text: str) -> str:
    return f"{kind}{text}" if kind in "+-:" else f"a {_TYPES.get(kind, kind)} reply {text!r}"


_TYPES = {"$": "bulk", "*": "array", "_": "null", "%": "map"}


async def probe(ctx: ProbeContext, monitor: Any, spec: RedisOptions, timeline: Timeline) -> Outcome:
    from shared.probes.outcome import Outcome
    from shared.probes.timing import ceil_us, now_ms

    host, port = host_port(monitor.target, DEFAULT_PORT)
    started = now_ms()
    try:
        await _check(host, port, spec, ctx, timeline)
    except Refused as exc:
        return Outcome(
            status="down",
            latency_ms=ceil_us(now_ms() - started),
            error_kind=exc.error_kind,
            error=exc.message,
            phases=timeline.phases(),
        )
    return Outcome(status="up", latency_ms=ceil_us(now_ms() - started), phases=timeline.phases())


async def _check(
    host: str, port: int, spec: RedisOptions, ctx: ProbeContext, timeline: Timeline
) -> None:
    from shared.probes.tcp import connect
    from shared.probes.tls import start_tls

    reader, writer = await connect(host, port, timeline, limit=_LINE_LIMIT)
    try:
        if spec.tls:
            await start_tls(writer, host, _context(ctx, spec.verify_tls), timeline)
        sent = commands(spec)
        writer.write(b"".join(encode(c) for c in sent))
        await writer.drain()
        timeline.start("ttfb_ms")
        replies = []
        for command in sent:
            timeline.waiting = f"while waiting for the reply to {command[0]}"
            replies.append(await read_reply(reader))
        timeline.stop("ttfb_ms")
        writer.write(encode(["QUIT"]))
    finally:
        writer.close()
    problem = verdict(sent, replies)
    if problem is not None:
        raise problem


async def read_reply(reader: asyncio.StreamReader) -> Reply:
    """One RESP reply: its type byte and text (a bulk string's content); a reply of
    another shape (an array) is returned by type only, as no healthy answer is one."""
    line = await _line(reader)
    kind, text = line[:1].decode("latin-1"), line[1:]
    if kind in ("+", "-", ":"):
        return kind, egress.excerpt(text, _EXCERPT)
    if kind == "$":
        return kind, await _bulk(reader, text)
    if kind in _TYPES:
        return kind, ""
    raise Refused("expect", f"not a Redis reply: {egress.excerpt(line, _EXCERPT)!r}")


async def _line(reader: asyncio.StreamReader) -> bytes:
    try:
        return (await reader.readuntil(b"\r\n"))[:-2]
    except asyncio.IncompleteReadError as exc:
        sent = f" after {egress.excerpt(exc.partial, _EXCERPT)!r}" if exc.partial else ""
        raise Refused("connection", f"the server closed the connection{sent}") from None
    except asyncio.LimitOverrunError:
        raise Refused("expect", f"a reply line is over {_LINE_LIMIT} bytes") from None


async def _bulk(reader: asyncio.StreamReader, length: bytes) -> str:
    if not length.lstrip(b"-").isdigit() or int(length) > _LINE_LIMIT:
        raise Refused("expect", f"a bulk reply of length {egress.excerpt(length, 16)!r}")
    if int(length) < 0:
        return ""
    try:
        data = await reader.readexactly(int(length) + 2)
    except asyncio.IncompleteReadError:
        raise Refused("connection", "the server closed the connection within a reply") from None
    return egress.excerpt(data[:-2], _EXCERPT)


def _context(ctx: ProbeContext, verify: bool) -> ssl.SSLContext:
    from shared.probes.tls import unverifying, verifying

    if not verify:
        return unverifying()
    return ctx.ssl_context or verifying()


KIND = MonitorKind(
    name="redis",
    title="Redis",
    options=RedisOptions,
    target="host_port",
    target_example="cache.example.com:6379",
    default_port=DEFAULT_PORT,
    probe=probe,
    rules=rules,
    secrets=("password",),
    summary="AUTH when a password is given, then PING answered by PONG; plaintext or TLS.",
    error_kinds=frozenset({"auth", "expect"}),
    form=(
        FormField("username", "Username", help="An ACL user (optional; default: the default user)"),
        FormField("password", "Password", "password", help="Sent with AUTH (optional)"),
        FormField("database", "Database", "number", help="SELECTed before the PING (default 0)"),
        FormField("tls", "TLS", "checkbox"),
        FormField("verify_tls", "Verify the certificate", "checkbox"),
    ),
)
