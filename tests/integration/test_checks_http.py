"""HTTP checks against a real aiohttp server on loopback: no mocks, no external network."""

from __future__ import annotations

import asyncio
import ipaddress
import socket
import ssl
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from aiohttp import web

from shared.kinds.http import HttpSpec
from shared.monitors import Monitor
from shared.probes import Checker, Outcome
from shared.probes.http import USER_AGENT

MARKER = "THE-END"
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def monitor(target: str, timeout_s: float = 2.0, **spec: object) -> Monitor:
    at = datetime.now(UTC)
    return Monitor(
        id="m1",
        name="target",
        kind="http",
        target=target,
        timeout_s=timeout_s,
        http=HttpSpec(**spec),
        created_at=at,
        updated_at=at,
    )


def phase_sum(outcome: Outcome) -> float:
    p = outcome.phases
    return sum(v or 0.0 for v in (p.dns_ms, p.connect_ms, p.tls_ms, p.ttfb_ms, p.transfer_ms))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Target:
    runner: web.AppRunner
    port: int
    peers: list[tuple[str, tuple[str, int]]] = field(default_factory=list)

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"


async def ok(_request: web.Request) -> web.Response:
    return web.Response(text="hello from the upmon target: all systems operational")


async def status(request: web.Request) -> web.Response:
    return web.Response(status=int(request.match_info["code"]), text="status")


async def redirect(request: web.Request) -> web.Response:
    left = int(request.match_info["left"])
    if left == 0:
        return web.Response(text="landed")
    raise web.HTTPFound(f"/redirect/{left - 1}")


async def slow(request: web.Request) -> web.Response:
    await asyncio.sleep(int(request.match_info["ms"]) / 1000)
    return web.Response(text="slow")


async def late_body(request: web.Request) -> web.StreamResponse:
    response = web.StreamResponse()
    await response.prepare(request)
    await response.write(b"first part, ")
    await asyncio.sleep(0.1)
    await response.write(b"second part")
    await response.write_eof()
    return response


async def big(request: web.Request) -> web.Response:
    size = int(request.match_info["size"])
    return web.Response(text="a" * (size - len(MARKER)) + MARKER)


async def endless(request: web.Request) -> web.StreamResponse:
    response = web.StreamResponse()
    await response.prepare(request)
    chunk = b"x" * 65536
    while True:
        await response.write(chunk)


async def echo(request: web.Request) -> web.Response:
    body = await request.text()
    return web.Response(text=f"{request.method} ua=[{request.headers.get('User-Agent')}] {body}")


@pytest.fixture(scope="module")
async def target() -> AsyncIterator[Target]:
    peers: list[tuple[str, tuple[str, int]]] = []

    @web.middleware
    async def record_peer(request: web.Request, handler: Handler) -> web.StreamResponse:
        peers.append((request.path_qs, request.transport.get_extra_info("peername")[:2]))
        return await handler(request)

    app = web.Application(middlewares=[record_peer])
    app.router.add_get("/ok", ok)
    app.router.add_get("/status/{code}", status)
    app.router.add_get("/redirect/{left}", redirect)
    app.router.add_get("/slow/{ms}", slow)
    app.router.add_get("/late-body", late_body)
    app.router.add_get("/big/{size}", big)
    app.router.add_get("/endless", endless)
    app.router.add_route("*", "/echo", echo)
    # Cancelling handlers on disconnect lets timed-out requests end at once on the server too.
    runner = web.AppRunner(app, handler_cancellation=True, shutdown_timeout=0.5)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    yield Target(runner=runner, port=runner.addresses[0][1], peers=peers)
    await runner.cleanup()


@pytest.fixture(scope="module")
async def checker() -> AsyncIterator[Checker]:
    async with Checker() as shared:
        yield shared


async def test_200_is_up(target, checker):
    outcome = await checker.run(monitor(target.url("/ok")))
    assert outcome.status == "up"
    assert outcome.http_status == 200
    assert outcome.error_kind is None
    assert outcome.error is None
    assert outcome.latency_ms > 0


async def test_500_is_down_with_the_code_and_the_accepted_list(target, checker):
    outcome = await checker.run(monitor(target.url("/status/500")))
    assert outcome.status == "down"
    assert outcome.http_status == 500
    assert outcome.error_kind == "http_status"
    assert outcome.error == "status 500 is not in accepted_status [200-299]"
    assert outcome.latency_ms > 0


@pytest.mark.parametrize(
    ("code", "accepted", "expected"),
    [
        (404, ["200-299", "404"], "up"),
        (201, ["204"], "down"),
        (204, ["204"], "up"),
        (503, ["500-599"], "up"),
    ],
)
async def test_accepted_status_ranges(target, checker, code, accepted, expected):
    outcome = await checker.run(monitor(target.url(f"/status/{code}"), accepted_status=accepted))
    assert outcome.status == expected
    assert outcome.http_status == code


async def test_redirects_are_followed_up_to_the_limit(target, checker):
    outcome = await checker.run(monitor(target.url("/redirect/3"), max_redirects=3))
    assert outcome.status == "up"
    assert outcome.http_status == 200


async def test_too_many_redirects(target, checker):
    outcome = await checker.run(monitor(target.url("/redirect/3"), max_redirects=2))
    assert outcome.status == "down"
    assert outcome.error_kind == "too_many_redirects"
    assert outcome.http_status == 302
    assert outcome.error == "more than 2 redirects (the next one pointed to /redirect/0)"


async def test_zero_redirects_allowed_means_none_followed(target, checker):
    outcome = await checker.run(monitor(target.url("/redirect/1"), max_redirects=0))
    assert outcome.error_kind == "too_many_redirects"


async def test_redirect_not_followed_is_judged_as_it_is(target, checker):
    plain = await checker.run(monitor(target.url("/redirect/1"), follow_redirects=False))
    assert (plain.status, plain.http_status, plain.error_kind) == ("down", 302, "http_status")
    accepted = monitor(target.url("/redirect/1"), follow_redirects=False, accepted_status=["302"])
    assert (await checker.run(accepted)).status == "up"


async def test_slow_response_times_out_on_the_monitor_deadline(target, checker):
    began = time.monotonic()
    outcome = await checker.run(monitor(target.url("/slow/5000"), timeout_s=0.3))
    elapsed = time.monotonic() - began
    assert 0.3 <= elapsed < 0.6
    assert outcome.status == "down"
    assert outcome.error_kind == "timeout"
    assert outcome.error == "no response within 0.3 s while waiting for the response"
    assert outcome.latency_ms is None
    assert outcome.phases.connect_ms is not None
    assert outcome.phases.ttfb_ms is None


@pytest.mark.parametrize(
    ("spec", "status", "kind"),
    [
        ({"keyword": "operational"}, "up", None),
        ({"keyword": "outage"}, "down", "keyword"),
        ({"keyword": "outage", "keyword_absent": True}, "up", None),
        ({"keyword": "operational", "keyword_absent": True}, "down", "keyword"),
        ({"regex": r"all \w+ operational"}, "up", None),
        ({"regex": r"^operational"}, "down", "regex"),
    ],
)
async def test_body_rules(target, checker, spec, status, kind):
    outcome = await checker.run(monitor(target.url("/ok"), **spec))
    assert (outcome.status, outcome.error_kind) == (status, kind)
    assert outcome.http_status == 200


async def test_keyword_failure_says_which_keyword(target, checker):
    outcome = await checker.run(monitor(target.url("/ok"), keyword="outage"))
    assert outcome.error == "keyword 'outage' not found in the body"


async def test_slow_answer_is_degraded(target, checker):
    outcome = await checker.run(monitor(target.url("/slow/150"), degraded_after_ms=50))
    assert outcome.status == "degraded"
    assert outcome.http_status == 200
    assert outcome.error_kind is None
    assert outcome.latency_ms >= 150
    assert "above degraded_after_ms (50 ms)" in outcome.error


async def test_endless_body_is_capped_without_error(target, checker):
    outcome = await checker.run(monitor(target.url("/endless"), max_body_bytes=100_000))
    assert outcome.status == "up"
    assert outcome.latency_ms < 1000


async def test_rule_on_a_capped_body_says_so(target, checker):
    capped = monitor(target.url("/big/2000000"), max_body_bytes=1000, keyword=MARKER)
    outcome = await checker.run(capped)
    assert outcome.status == "down"
    assert outcome.error_kind == "body_too_large"
    assert outcome.error == (
        "keyword 'THE-END' not found in the body: only its first 1000 bytes were read"
        " (max_body_bytes)"
    )
    whole = await checker.run(monitor(target.url("/big/2000"), max_body_bytes=2000, keyword=MARKER))
    assert whole.status == "up"


async def test_refused_port(checker):
    port = free_port()
    outcome = await checker.run(monitor(f"http://127.0.0.1:{port}/"))
    assert outcome.status == "down"
    assert outcome.error_kind == "refused"
    assert outcome.error == f"connection refused by 127.0.0.1:{port}"
    assert outcome.phases.connect_ms is None


async def test_unresolvable_host(checker):
    outcome = await checker.run(monitor("http://no-such-host.invalid/"))
    assert outcome.status == "down"
    assert outcome.error_kind == "dns"
    assert outcome.error.startswith("could not resolve no-such-host.invalid")
    assert outcome.phases.dns_ms is None


async def test_phases_come_from_the_wire_and_fit_in_the_total(target, checker):
    outcome = await checker.run(monitor(target.url("/late-body", host="localhost")))
    phases = outcome.phases
    assert outcome.status == "up"
    assert None not in (phases.dns_ms, phases.connect_ms, phases.ttfb_ms, phases.transfer_ms)
    assert phases.tls_ms is None
    assert phases.transfer_ms >= 90
    assert phase_sum(outcome) <= outcome.latency_ms


async def test_waiting_for_headers_is_ttfb(target, checker):
    outcome = await checker.run(monitor(target.url("/slow/150")))
    assert outcome.phases.ttfb_ms >= 150
    assert outcome.phases.dns_ms is None  # an IP literal needs no lookup
    assert phase_sum(outcome) <= outcome.latency_ms


async def test_phases_add_up_across_redirects(target, checker):
    outcome = await checker.run(monitor(target.url("/redirect/2", host="localhost")))
    assert outcome.status == "up"
    assert phase_sum(outcome) <= outcome.latency_ms


async def test_every_check_opens_a_fresh_connection(target, checker):
    path = "/ok?probe=fresh"
    for _ in range(2):
        assert (await checker.run(monitor(target.url(path)))).status == "up"
    peers = [peer for seen_path, peer in target.peers if seen_path == path]
    assert len(peers) == 2
    assert peers[0] != peers[1]


async def test_method_body_and_user_agent(target, checker):
    sent = monitor(
        target.url("/echo"), method="POST", body="ping", keyword=f"POST ua=[{USER_AGENT}] ping"
    )
    assert (await checker.run(sent)).status == "up"
    custom = monitor(target.url("/echo"), headers={"user-agent": "mine/1"}, keyword="ua=[mine/1]")
    assert (await checker.run(custom)).status == "up"


async def test_unsendable_header_is_a_result_not_a_crash(target, checker):
    outcome = await checker.run(monitor(target.url("/ok"), headers={"X-Bad": "a\r\nInjected: 1"}))
    assert outcome.status == "down"
    assert outcome.error_kind == "connection"
    assert outcome.error.startswith("request could not be sent")


# -- HTTPS against a self-signed certificate made here ----------------------------------


@dataclass
class TlsTarget:
    port: int
    cert_pem: bytes
    not_after: datetime


def self_signed(directory: Path) -> tuple[Path, Path, bytes, datetime]:
    pytest.importorskip(
        "cryptography", reason="cryptography is not installed: HTTPS checks are not tested"
    )
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.now(UTC).replace(microsecond=0)
    not_after = now + timedelta(days=30)
    san = [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(not_after)
        .add_extension(x509.SubjectAlternativeName(san), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    cert_pem = cert.public_bytes(serialization.Encoding.PEM)
    cert_path, key_path = directory / "cert.pem", directory / "key.pem"
    cert_path.write_bytes(cert_pem)
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path, cert_pem, not_after


@pytest.fixture(scope="module")
async def tls_target(target, tmp_path_factory) -> TlsTarget:
    cert_path, key_path, cert_pem, not_after = self_signed(tmp_path_factory.mktemp("tls"))
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert_path, key_path)
    site = web.TCPSite(target.runner, "127.0.0.1", 0, ssl_context=context)
    await site.start()
    port = next(addr[1] for addr in target.runner.addresses if addr[1] != target.port)
    return TlsTarget(port=port, cert_pem=cert_pem, not_after=not_after)


async def test_untrusted_certificate_is_a_tls_error(tls_target, checker):
    outcome = await checker.run(monitor(f"https://localhost:{tls_target.port}/ok"))
    assert outcome.status == "down"
    assert outcome.error_kind == "tls"
    assert "certificate verify failed" in outcome.error
    assert f"localhost:{tls_target.port}" in outcome.error


async def test_unverified_tls_is_up(tls_target, checker):
    url = f"https://localhost:{tls_target.port}/ok"
    outcome = await checker.run(monitor(url, verify_tls=False))
    assert outcome.status == "up"
    assert outcome.phases.connect_ms is not None
    assert phase_sum(outcome) <= outcome.latency_ms


async def test_trusted_certificate_reports_its_expiry(tls_target):
    trust = ssl.create_default_context(cadata=tls_target.cert_pem.decode())
    async with Checker(ssl_context=trust) as trusting:
        outcome = await trusting.run(monitor(f"https://localhost:{tls_target.port}/ok"))
    assert outcome.status == "up"
    assert outcome.cert_expires_at == tls_target.not_after
