"""SMTP checks against real SMTP servers on loopback (aiosmtpd), with and without
STARTTLS or implicit TLS, certificates made for each run, and raw servers for the
answers a real mail server would not give."""

from __future__ import annotations

import asyncio
import socket
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

from shared import egress
from shared.kinds.smtp import SmtpOptions
from shared.monitors import Monitor
from shared.probes import Checker, Outcome
from stack.parts import free_port
from tests.integration.servers.certs import TestCA

Handler = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]


def monitor(target: str, timeout_s: float = 2.0, **options) -> Monitor:
    at = datetime.now(UTC)
    return Monitor(
        id="m1",
        name="mail",
        kind="smtp",
        target=target,
        timeout_s=timeout_s,
        smtp=SmtpOptions(**options),
        created_at=at,
        updated_at=at,
    )


class Recorder:
    """aiosmtpd handler: what each client introduced itself as."""

    def __init__(self) -> None:
        self.ehlo: list[str] = []

    async def handle_EHLO(self, _server, session, _envelope, hostname, responses):
        session.host_name = hostname
        self.ehlo.append(hostname)
        return responses


class Mail(Controller):
    """An aiosmtpd server in its thread, counting the connections it is given."""

    def __init__(self, **kwargs) -> None:
        self.recorder = Recorder()
        self.connections = 0
        super().__init__(self.recorder, hostname="127.0.0.1", port=free_port(), **kwargs)

    def factory(self):
        self.connections += 1
        return super().factory()


@dataclass
class Servers:
    ca: TestCA
    not_after: datetime
    starttls: Mail
    expired: Mail
    implicit: Mail
    plain: Mail


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Servers]:
    directory = Path(tmp_path_factory.mktemp("smtp"))
    ca = TestCA()
    valid = ca.issue(days=90.5)
    context = valid.server_context(directory)
    expired = ca.issue(days=-2, valid_from_days=-30).server_context(directory)
    mails = Servers(
        ca=ca,
        not_after=valid.not_after,
        starttls=Mail(tls_context=context, require_starttls=False),
        expired=Mail(tls_context=expired),
        implicit=Mail(ssl_context=context),
        plain=Mail(),
    )
    started = [mails.starttls, mails.expired, mails.implicit, mails.plain]
    for mail in started:
        mail.start()
    yield mails
    for mail in started:
        mail.stop()


@pytest.fixture(scope="module")
async def raw() -> AsyncIterator[Callable[[Handler], Awaitable[int]]]:
    """Servers that answer as no healthy mail server does."""
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


@pytest.fixture(scope="module")
async def trusting(servers: Servers) -> AsyncIterator[Checker]:
    async with Checker(ssl_context=servers.ca.client_context()) as checker:
        yield checker


def target(mail: Mail, host: str = "localhost") -> str:
    return f"{host}:{mail.port}"


def assert_phases_fit(outcome: Outcome) -> None:
    p = outcome.phases
    timed = (p.dns_ms or 0) + p.connect_ms + p.ttfb_ms + (p.tls_ms or 0)
    assert timed <= outcome.latency_ms


async def test_banner_and_ehlo_are_up_with_each_phase_timed(servers, trusting):
    outcome = await trusting.run(monitor(target(servers.starttls)))
    assert (outcome.status, outcome.error_kind, outcome.error) == ("up", None, None)
    assert outcome.details["banner"] == "localhost Python SMTP 1.4.6"
    assert "STARTTLS" in outcome.details["extensions"]
    p = outcome.phases
    assert None not in (p.dns_ms, p.connect_ms, p.ttfb_ms) and p.tls_ms is None
    assert_phases_fit(outcome)
    assert outcome.cert_expires_at is None
    # With no ehlo_name the check names itself by its own address, needing no DNS.
    assert servers.starttls.recorder.ehlo[-1] == "[127.0.0.1]"


async def test_ehlo_gives_the_configured_name(servers, trusting):
    outcome = await trusting.run(monitor(target(servers.plain), ehlo_name="probe.example.com"))
    assert outcome.status == "up"
    assert servers.plain.recorder.ehlo[-1] == "probe.example.com"


async def test_starttls_with_a_trusted_certificate_reports_its_expiry(servers, trusting):
    before = len(servers.starttls.recorder.ehlo)
    outcome = await trusting.run(monitor(target(servers.starttls), tls="starttls"))
    assert (outcome.status, outcome.error_kind, outcome.error) == ("up", None, None)
    assert abs(outcome.cert_expires_at - servers.not_after) <= timedelta(seconds=1)
    assert outcome.cert_issuer == "CN=upmon test CA, O=upmon tests"
    assert outcome.details["days_left"] == 90
    # EHLO again over TLS (RFC 3207): what is offered may differ once encrypted.
    assert len(servers.starttls.recorder.ehlo) == before + 2
    assert "STARTTLS" not in outcome.details["extensions"]
    assert outcome.phases.tls_ms is not None
    assert_phases_fit(outcome)


async def test_starttls_within_warn_days_is_degraded(servers, trusting):
    outcome = await trusting.run(monitor(target(servers.starttls), tls="starttls", warn_days=100))
    assert outcome.status == "degraded"
    assert outcome.error == "certificate expires in 90 days (warn_days 100)"


async def test_an_expired_certificate_is_down_with_its_date(servers, trusting):
    outcome = await trusting.run(monitor(target(servers.expired), tls="starttls"))
    assert (outcome.status, outcome.error_kind) == ("down", "cert_expired")
    assert outcome.cert_expires_at is not None and outcome.cert_expires_at < datetime.now(UTC)
    assert (
        outcome.error == f"certificate expired on {outcome.cert_expires_at:%Y-%m-%d %H:%M:%S} UTC"
    )


async def test_an_untrusted_certificate_is_down_as_invalid(servers):
    async with Checker() as system_trust:
        outcome = await system_trust.run(monitor(target(servers.starttls), tls="starttls"))
    assert (outcome.status, outcome.error_kind) == ("down", "cert_invalid")
    assert outcome.error.startswith("certificate is not trusted: ")
    assert outcome.cert_issuer == "CN=upmon test CA, O=upmon tests"


async def test_implicit_tls_is_checked_against_the_ip_san(servers, trusting):
    outcome = await trusting.run(monitor(target(servers.implicit, "127.0.0.1"), tls="implicit"))
    assert (outcome.status, outcome.error) == ("up", None)
    assert outcome.details["days_left"] == 90
    assert outcome.phases.dns_ms is None and outcome.phases.tls_ms is not None
    assert_phases_fit(outcome)


async def test_a_server_without_starttls_is_down_when_tls_is_asked_for(servers, trusting):
    outcome = await trusting.run(monitor(target(servers.plain), tls="starttls"))
    assert (outcome.status, outcome.error_kind) == ("down", "tls")
    assert outcome.error == (
        "the server does not offer STARTTLS (EHLO lists SIZE, 8BITMIME, SMTPUTF8, HELP)"
    )


async def greet_busy(_reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    writer.write(b"554 5.3.2 mail.example busy, try later\r\n")
    await writer.drain()


async def http_like(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    writer.write(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")
    await writer.drain()


async def refuse_ehlo(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    writer.write(b"220 mail.example ESMTP\r\n")
    await reader.readline()
    writer.write(b"502 5.5.1 EHLO not implemented\r\n")
    await writer.drain()


async def silent(_reader: asyncio.StreamReader, _writer: asyncio.StreamWriter) -> None:
    await asyncio.sleep(5)


@pytest.mark.parametrize(
    ("handler", "kind", "error"),
    [
        (
            greet_busy,
            "expect",
            "the server greeted with 554 5.3.2 mail.example busy, try later, not 220",
        ),
        (http_like, "expect", "not an SMTP reply: 'HTTP/1.1 400 Bad Request'"),
        (refuse_ehlo, "expect", "the server answered EHLO with 502 5.5.1 EHLO not implemented"),
    ],
)
async def test_a_wrong_answer_is_down_quoting_it(raw, trusting, handler, kind, error):
    port = await raw(handler)
    outcome = await trusting.run(monitor(f"127.0.0.1:{port}"))
    assert (outcome.status, outcome.error_kind, outcome.error) == ("down", kind, error)
    assert outcome.latency_ms is not None


async def inject_after_starttls(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    writer.write(b"220 mail.example ESMTP\r\n")
    await reader.readline()
    writer.write(b"250-mail.example\r\n250 STARTTLS\r\n")
    await reader.readline()
    writer.write(b"220 go ahead\r\n250-injected\r\n250 AUTH PLAIN\r\n")
    await writer.drain()
    await reader.read()


async def test_plaintext_sent_after_the_starttls_reply_is_refused_as_injection(raw, trusting):
    port = await raw(inject_after_starttls)
    outcome = await trusting.run(monitor(f"127.0.0.1:{port}", tls="starttls"))
    assert (outcome.status, outcome.error_kind) == ("down", "tls")
    assert outcome.error == "the server sent more after its STARTTLS reply, before the handshake"
    assert outcome.phases.tls_ms is None


async def test_a_silent_server_times_out_naming_the_banner_wait(raw, trusting):
    port = await raw(silent)
    began = time.monotonic()
    outcome = await trusting.run(monitor(f"127.0.0.1:{port}", timeout_s=0.3))
    assert 0.3 <= time.monotonic() - began < 0.6
    assert (outcome.status, outcome.error_kind) == ("down", "timeout")
    assert outcome.error == "no response within 0.3 s while waiting for the banner"


async def test_a_refused_port_is_down(trusting):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    outcome = await trusting.run(monitor(f"127.0.0.1:{port}"))
    assert (outcome.status, outcome.error_kind) == ("down", "refused")
    assert outcome.error == f"connection refused by 127.0.0.1:{port}"


async def test_a_denied_target_is_refused_before_connecting(servers):
    before = servers.plain.connections
    async with Checker(policy=egress.Policy(private=True)) as private_denied:
        outcome = await private_denied.run(monitor(target(servers.plain, "127.0.0.1")))
        metadata = await private_denied.run(monitor("169.254.169.254"))
    assert (outcome.status, outcome.error_kind) == ("down", "egress_denied")
    assert "127.0.0.1 is a private address" in outcome.error
    assert outcome.phases.connect_ms is None
    assert servers.plain.connections == before
    assert (metadata.error_kind, metadata.phases.connect_ms) == ("egress_denied", None)
    assert "169.254.169.254" in metadata.error
