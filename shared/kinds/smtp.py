"""SMTP: the server's 220 banner and its answer to EHLO, optionally STARTTLS (or TLS from
the first byte, as on port 465) with a verified certificate whose expiry is judged as the
tls kind judges it. Spoken over an asyncio stream: the check connects only to addresses
the egress policy judged, and bounds everything the server sends."""

from __future__ import annotations

import asyncio
import ssl
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Annotated, Any, Literal

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
    is_hostname,
)

if TYPE_CHECKING:
    from shared.probes.outcome import Outcome
    from shared.probes.timing import Timeline
    from shared.probes.tls import Cert

DEFAULT_PORT = 25
# RFC 5321 allows 512 octets a reply line; a server may be generous, a check is not.
_LINE_LIMIT = 4096
_MAX_LINES = 100
_MAX_EXTENSIONS = 32
_EXCERPT = 120
# OpenSSL's X509_V_ERR_* codes, as SSLCertVerificationError.verify_code carries them.
_EXPIRED = 10
_NAME_MISMATCH = (62, 64)

SmtpTls = Literal["none", "starttls", "implicit"]


class SmtpOptions(Options, kw_only=True):
    # none: plaintext; starttls: the server must offer STARTTLS and pass a verified
    # handshake; implicit: TLS from the first byte (SMTPS, usually port 465).
    tls: SmtpTls = "none"
    # With TLS: degraded when the certificate expires within this many days.
    warn_days: Annotated[int, Meta(ge=0, le=3650)] = 14
    # The name the check gives in EHLO; None: its own address as a literal (`[192.0.2.1]`),
    # which needs no DNS and which RFC 5321 accepts from a client without a name.
    ehlo_name: Annotated[str, plain(253, 1)] | None = None


def rules(fields: Any, spec: SmtpOptions) -> list[FieldError]:
    problems = errors("target", host_port_error(fields.target, port_required=False))
    if spec.ehlo_name is not None and not is_hostname(spec.ehlo_name):
        problems.append(FieldError("smtp.ehlo_name", "must be a host name"))
    return problems


class Refused(Exception):
    """The server answered, but not as a healthy mail server does."""

    def __init__(self, error_kind: str, message: str) -> None:
        super().__init__(message)
        self.error_kind = error_kind
        self.message = message


@dataclass
class Session:
    banner: str = ""
    extensions: tuple[str, ...] = ()
    # The server's certificate (DER) when the session went over TLS.
    cert: bytes | None = None


async def probe(ctx: ProbeContext, monitor: Any, spec: SmtpOptions, timeline: Timeline) -> Outcome:
    from shared.probes.outcome import Outcome
    from shared.probes.timing import ceil_us, now_ms
    from shared.probes.tls import verifying

    host, port = host_port(monitor.target, DEFAULT_PORT)
    started = now_ms()
    context = ctx.ssl_context or verifying()
    try:
        session = await converse(host, port, spec, context, timeline)
    except Refused as exc:
        latency = ceil_us(now_ms() - started)
        return Outcome(
            status="down",
            latency_ms=latency,
            error_kind=exc.error_kind,
            error=exc.message,
            phases=timeline.phases(),
        )
    except ssl.SSLCertVerificationError as exc:
        latency = ceil_us(now_ms() - started)
        budget_s = monitor.timeout_s - latency / 1000
        der = await _unverified_cert(host, port, spec, budget_s)
        return _rejected(exc, host, der, latency, timeline)
    return _judged(session, spec, ceil_us(now_ms() - started), timeline)


async def converse(
    host: str, port: int, spec: SmtpOptions, context: ssl.SSLContext, timeline: Timeline
) -> Session:
    """Banner, EHLO and the TLS upgrade the options ask for; QUIT is sent, not awaited."""
    from shared.probes.tcp import connect
    from shared.probes.tls import start_tls

    reader, writer = await connect(host, port, timeline, limit=_LINE_LIMIT)
    try:
        session = Session()
        if spec.tls == "implicit":
            session.cert = await start_tls(writer, host, context, timeline)
        session.banner = await _banner(reader, timeline)
        ehlo = _ehlo_command(spec, writer)
        session.extensions = await _ehlo(reader, writer, ehlo, timeline)
        if spec.tls == "starttls":
            session.cert = await _starttls(
                reader, writer, session.extensions, host, context, timeline
            )
            session.extensions = await _ehlo(reader, writer, ehlo, timeline)
        writer.write(b"QUIT\r\n")
        return session
    finally:
        writer.close()


async def _banner(reader: asyncio.StreamReader, timeline: Timeline) -> str:
    timeline.start("ttfb_ms")
    timeline.waiting = "while waiting for the banner"
    code, lines = await read_reply(reader, "the banner")
    timeline.stop("ttfb_ms")
    if code != 220:
        raise Refused("expect", f"the server greeted with {code} {_text(lines)}, not 220")
    return _text(lines)


def _ehlo_command(spec: SmtpOptions, writer: asyncio.StreamWriter) -> bytes:
    name = spec.ehlo_name or _address_literal(writer.get_extra_info("sockname"))
    return f"EHLO {name}\r\n".encode("ascii", "replace")


def _address_literal(sockname: Any) -> str:
    address = str(sockname[0]) if sockname else "127.0.0.1"
    return f"[IPv6:{address}]" if ":" in address else f"[{address}]"


async def _ehlo(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, ehlo: bytes, timeline: Timeline
) -> tuple[str, ...]:
    code, lines = await _ask(reader, writer, ehlo, "the EHLO reply", timeline)
    if code != 250:
        raise Refused("expect", f"the server answered EHLO with {code} {_text(lines)}")
    return extensions(lines)


async def _starttls(
    reader: asyncio.StreamReader,
    writer: asyncio.StreamWriter,
    offered: tuple[str, ...],
    host: str,
    context: ssl.SSLContext,
    timeline: Timeline,
) -> bytes:
    if "STARTTLS" not in offered:
        listed = ", ".join(offered) or "no extensions"
        raise Refused("tls", f"the server does not offer STARTTLS (EHLO lists {listed})")
    code, lines = await _ask(reader, writer, b"STARTTLS\r\n", "the STARTTLS reply", timeline)
    if code != 220:
        raise Refused("tls", f"the server answered STARTTLS with {code} {_text(lines)}")
    # Bytes that came after the 220 arrived in plaintext yet would be read as if from
    # inside TLS: an injection (CVE-2011-0411), never a reply. asyncio has no public peek.
    if getattr(reader, "_buffer", b""):
        raise Refused("tls", "the server sent more after its STARTTLS reply, before the handshake")
    from shared.probes.tls import start_tls

    return await start_tls(writer, host, context, timeline)


async def _ask(
    reader: asyncio.StreamReader,
    writer: asyncio.StreamWriter,
    command: bytes,
    what: str,
    timeline: Timeline,
) -> tuple[int, list[str]]:
    writer.write(command)
    await writer.drain()
    timeline.waiting = f"while waiting for {what}"
    reply = await read_reply(reader, what)
    timeline.waiting = None
    return reply


async def read_reply(reader: asyncio.StreamReader, what: str) -> tuple[int, list[str]]:
    """One reply, continuation lines (`250-...`) included: its code and the text of each line."""
    lines: list[str] = []
    while len(lines) < _MAX_LINES:
        try:
            raw = await reader.readuntil(b"\n")
        except asyncio.IncompleteReadError as exc:
            sent = f" (it sent {egress.excerpt(exc.partial, _EXCERPT)!r})" if exc.partial else ""
            message = f"the server closed the connection before {what}{sent}"
            raise Refused("connection", message) from None
        except asyncio.LimitOverrunError:
            raise Refused("expect", f"{what} has a line over {_LINE_LIMIT} bytes") from None
        code, more, text = parse_line(raw)
        lines.append(text)
        if not more:
            return code, lines
    raise Refused("expect", f"{what} runs over {_MAX_LINES} lines")


def parse_line(raw: bytes) -> tuple[int, bool, str]:
    """(code, more lines follow, text) of one reply line; Refused when it is not SMTP."""
    line = raw.rstrip(b"\r\n")
    code, mark = line[:3], line[3:4]
    if not (code.isdigit() and code[:1] in b"2345" and mark in (b"", b" ", b"-")):
        raise Refused("expect", f"not an SMTP reply: {egress.excerpt(line, _EXCERPT)!r}")
    return int(code), mark == b"-", egress.excerpt(line[4:], _EXCERPT)


def extensions(lines: list[str]) -> tuple[str, ...]:
    """The keywords an EHLO reply advertises (its first line is the greeting)."""
    words = (line.split(" ", 1)[0].upper() for line in lines[1:] if line.strip())
    return tuple(dict.fromkeys(words))[:_MAX_EXTENSIONS]


def _text(lines: list[str]) -> str:
    return egress.excerpt(" ".join(lines), _EXCERPT)


def _judged(session: Session, spec: SmtpOptions, latency: float, timeline: Timeline) -> Outcome:
    from shared.probes.outcome import Outcome
    from shared.probes.tls import judge, parse_cert

    details: dict[str, Any] = {"banner": session.banner, "extensions": list(session.extensions)}
    outcome = Outcome(status="up", latency_ms=latency, phases=timeline.phases(), details=details)
    if session.cert is None:
        return outcome
    cert = parse_cert(session.cert)
    outcome.status, outcome.error_kind, outcome.error = judge(cert, spec.warn_days, _now())
    _with_cert(outcome, cert)
    return outcome


def _rejected(
    exc: ssl.SSLCertVerificationError,
    host: str,
    der: bytes | None,
    latency: float,
    timeline: Timeline,
) -> Outcome:
    from shared.probes.outcome import Outcome
    from shared.probes.tls import parse_cert

    reason = exc.verify_message or exc.reason or str(exc)
    cert = parse_cert(der) if der else None
    expires_at = cert.expires_at if cert else None
    # OpenSSL checks dates after the chain: an expired untrusted certificate reports the
    # chain, yet its date is a fact of the certificate alone and the first thing to fix.
    if exc.verify_code == _EXPIRED or (expires_at is not None and expires_at <= _now()):
        when = f" on {expires_at:%Y-%m-%d %H:%M:%S} UTC" if expires_at else ""
        kind, message = "cert_expired", f"certificate expired{when}"
    elif exc.verify_code in _NAME_MISMATCH:
        kind, message = "hostname_mismatch", f"certificate is not valid for {host}"
    else:
        kind, message = "cert_invalid", f"certificate is not trusted: {reason}"
    outcome = Outcome(
        status="down", latency_ms=latency, error_kind=kind, error=message, phases=timeline.phases()
    )
    if cert is not None:
        _with_cert(outcome, cert)
    return outcome


def _with_cert(outcome: Outcome, cert: Cert) -> None:
    outcome.cert_expires_at = cert.expires_at
    outcome.cert_issuer = cert.issuer
    outcome.cert_subject = cert.subject
    outcome.details = {**outcome.details, "days_left": cert.days_left(_now())}


async def _unverified_cert(
    host: str, port: int, spec: SmtpOptions, budget_s: float
) -> bytes | None:
    """The certificate a verified handshake refused, read in a second, unverified session.

    Only for the message and the certificate fields: when it fails or runs out of the
    monitor's time, the verdict stands without them."""
    from shared.probes.timing import Timeline
    from shared.probes.tls import unverifying

    if budget_s <= 0:
        return None
    try:
        async with asyncio.timeout(budget_s * 0.9):
            session = await converse(host, port, spec, unverifying(), Timeline())
    except (TimeoutError, OSError, ValueError, Refused):
        return None
    return session.cert or None


def _now() -> datetime:
    return datetime.now(UTC)


KIND = MonitorKind(
    name="smtp",
    title="SMTP",
    options=SmtpOptions,
    target="host_port",
    target_example="mail.example.com:25",
    default_port=DEFAULT_PORT,
    probe=probe,
    rules=rules,
    summary="The 220 banner and EHLO; optionally STARTTLS or implicit TLS, with the "
    "certificate verified and degraded as it nears its expiry.",
    error_kinds=frozenset({"expect", "cert_expired", "cert_invalid", "hostname_mismatch"}),
    form=(
        FormField(
            "tls",
            "TLS",
            "select",
            choices=("none", "starttls", "implicit"),
            help="starttls: the server must offer STARTTLS; implicit: TLS from the first byte",
        ),
        FormField("warn_days", "Degraded when the certificate expires within (days)", "number"),
        FormField(
            "ehlo_name",
            "EHLO name",
            placeholder="monitor.example.com",
            help="The name given in EHLO (optional; default: the check's own address)",
        ),
    ),
)
