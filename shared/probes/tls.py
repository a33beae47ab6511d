"""TLS checks: a verified handshake, then the certificate's identity and the time it has left."""

from __future__ import annotations

import asyncio
import functools
import socket
import ssl
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import aiohappyeyeballs
from cryptography import x509
from cryptography.x509.oid import NameOID

from shared.kinds.base import host_port
from shared.kinds.tls import TlsSpec
from shared.monitors import Monitor
from shared.probes.outcome import Outcome, OutcomeStatus
from shared.probes.resolve import addr_infos, is_ip_literal
from shared.probes.timing import Timeline, ceil_us, now_ms

_TLS_PORT = 443
_STAGGER_S = 0.25
# OpenSSL's X509_V_ERR_* codes, as SSLCertVerificationError.verify_code carries them.
_EXPIRED = 10
_NAME_MISMATCH = (62, 64)
_NAMES = {NameOID.EMAIL_ADDRESS: "emailAddress"}

Verdict = tuple[OutcomeStatus, str | None, str | None]


@dataclass(frozen=True)
class Cert:
    expires_at: datetime
    issuer: str | None
    subject: str | None
    names: list[str]

    def days_left(self, now: datetime) -> int:
        return (self.expires_at - now) // timedelta(days=1)


def parse_cert(der: bytes) -> Cert:
    cert = x509.load_der_x509_certificate(der)
    try:
        san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
        names = [str(n.value) for n in san if isinstance(n, x509.DNSName | x509.IPAddress)]
    except x509.ExtensionNotFound:
        names = []
    return Cert(
        expires_at=cert.not_valid_after_utc,
        issuer=dn_text(cert.issuer),
        subject=dn_text(cert.subject),
        names=names,
    )


def dn_text(name: x509.Name) -> str | None:
    """RFC 4514 order (most specific first), with a space after each comma for people."""
    rdns = [rdn.rfc4514_string(_NAMES) for rdn in reversed(name.rdns)]
    return ", ".join(rdns) or None


async def probe(
    monitor: Monitor, timeline: Timeline, context: ssl.SSLContext | None = None
) -> Outcome:
    spec = monitor.tls or TlsSpec()
    host, port = host_port(monitor.target, _TLS_PORT)
    started = now_ms()
    infos = await _resolve(host, port, timeline)
    try:
        der = await _handshake(infos, host, context or verifying(), timeline)
    except ssl.SSLCertVerificationError as exc:
        latency = ceil_us(now_ms() - started)
        remaining_s = monitor.timeout_s - latency / 1000
        cert = await _unverified_cert(infos, host, remaining_s)
        return _rejected(exc, host, cert, latency, timeline)
    latency = ceil_us(now_ms() - started)
    cert = parse_cert(der)
    status, kind, error = judge(cert, spec.warn_days, datetime.now(UTC))
    return _outcome(status, kind, error, cert, latency, timeline)


def judge(cert: Cert, warn_days: int, now: datetime) -> Verdict:
    days = cert.days_left(now)
    if cert.expires_at <= now:
        return "down", "cert_expired", _expired_message(cert, now)
    if cert.expires_at - now < timedelta(days=warn_days):
        return "degraded", None, f"certificate expires in {days} days (warn_days {warn_days})"
    return "up", None, None


def _expired_message(cert: Cert, now: datetime) -> str:
    ago = (now - cert.expires_at) // timedelta(days=1)
    suffix = f" ({ago} days ago)" if ago else ""
    return f"certificate expired on {cert.expires_at:%Y-%m-%d %H:%M:%S} UTC{suffix}"


def _rejected(
    exc: ssl.SSLCertVerificationError,
    host: str,
    cert: Cert | None,
    latency: float,
    timeline: Timeline,
) -> Outcome:
    kind, message = rejection(exc, host, cert, datetime.now(UTC))
    return _outcome("down", kind, message, cert, latency, timeline)


def rejection(
    exc: ssl.SSLCertVerificationError, host: str, cert: Cert | None, now: datetime
) -> tuple[str, str]:
    """The error kind and message of a certificate that verification refused; `cert` is
    the refused certificate when it could be read, for a more precise message."""
    reason = exc.verify_message or exc.reason or str(exc)
    # OpenSSL checks dates after the chain, so an expired untrusted certificate reports
    # the chain; its date is a fact of the certificate alone and the first thing to fix.
    if exc.verify_code == _EXPIRED or (cert is not None and cert.expires_at <= now):
        message = _expired_message(cert, now) if cert else f"certificate rejected: {reason}"
        return "cert_expired", message
    if exc.verify_code in _NAME_MISMATCH:
        covered = f" (it covers {', '.join(cert.names)})" if cert and cert.names else ""
        return "hostname_mismatch", f"certificate is not valid for {host}{covered}"
    return "cert_invalid", f"certificate is not trusted: {reason}"


def _outcome(
    status: OutcomeStatus,
    kind: str | None,
    error: str | None,
    cert: Cert | None,
    latency: float,
    timeline: Timeline,
) -> Outcome:
    outcome = Outcome(
        status=status, latency_ms=latency, error_kind=kind, error=error, phases=timeline.phases()
    )
    if cert is not None:
        outcome.cert_expires_at = cert.expires_at
        outcome.cert_issuer = cert.issuer
        outcome.cert_subject = cert.subject
        outcome.details = {"days_left": cert.days_left(datetime.now(UTC))}
    return outcome


async def _resolve(host: str, port: int, timeline: Timeline) -> list[Any]:
    if is_ip_literal(host):
        return await addr_infos(host, port)
    timeline.start("dns_ms")
    infos = await addr_infos(host, port)
    timeline.stop("dns_ms")
    return infos


async def _handshake(
    infos: list[Any], host: str, context: ssl.SSLContext, timeline: Timeline
) -> bytes:
    """The peer certificate (DER) after a handshake timed apart from the TCP connect."""
    timeline.start("connect_ms")
    sock = await aiohappyeyeballs.start_connection(infos, happy_eyeballs_delay=_STAGGER_S)
    timeline.stop("connect_ms")
    timeline.start("tls_ms")
    try:
        der = await _certificate(sock, host, context)
    except OSError:
        # A refused handshake still took its time; a timed-out one stays open, so the
        # timeout message can name the stage it stopped in.
        timeline.stop("tls_ms")
        raise
    timeline.stop("tls_ms")
    return der


async def start_tls(
    writer: asyncio.StreamWriter, host: str, context: ssl.SSLContext, timeline: Timeline
) -> bytes:
    """An open stream upgraded in place (STARTTLS, or TLS right after the connect), the
    handshake timed as tls_ms; the peer certificate (DER)."""
    timeline.start("tls_ms")
    try:
        await writer.start_tls(context, server_hostname=host)
    except OSError:
        # As in _handshake: a refused handshake took its time, a timed-out one stays open.
        timeline.stop("tls_ms")
        raise
    timeline.stop("tls_ms")
    return writer.get_extra_info("ssl_object").getpeercert(binary_form=True) or b""


async def _certificate(sock: socket.socket, host: str, context: ssl.SSLContext) -> bytes:
    try:
        _reader, writer = await asyncio.open_connection(
            sock=sock, ssl=context, server_hostname=host
        )
    except BaseException:
        sock.close()
        raise
    try:
        ssl_object = writer.get_extra_info("ssl_object")
        return ssl_object.getpeercert(binary_form=True) or b""
    finally:
        writer.close()


async def _unverified_cert(infos: list[Any], host: str, budget_s: float) -> Cert | None:
    """The certificate a verified handshake refused, read on a second, unverified one.

    Only for the message and the certificate fields: when it fails or runs out of
    the monitor's time, the verdict stands without them.
    """
    if budget_s <= 0:
        return None
    try:
        async with asyncio.timeout(budget_s * 0.9):
            sock = await aiohappyeyeballs.start_connection(infos, happy_eyeballs_delay=_STAGGER_S)
            der = await _certificate(sock, host, unverifying())
        return parse_cert(der) if der else None
    except (TimeoutError, OSError, ValueError):
        return None


@functools.cache
def verifying() -> ssl.SSLContext:
    """The system's trust, for checks not given extra CAs."""
    return ssl.create_default_context()


@functools.cache
def unverifying() -> ssl.SSLContext:
    """For a certificate that verification refused, to report it, never to trust it."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context
