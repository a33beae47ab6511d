"""The egress policy against real parts: the test ClickHouse and NATS, a local DNS
server and local HTTP servers. Denied addresses are refused before any packet leaves,
so nothing here sends traffic anywhere but loopback."""

from __future__ import annotations

import contextlib
import socket
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import aiohttp
import dns.asyncresolver
import dns.nameserver
import pytest
from aiohttp import web
from aiohttp.abc import AbstractResolver, ResolveResult

from services.notifier.providers.connector import session as egress_session
from shared import bus, egress
from shared.channels import http as provider_http
from shared.channels.base import SendContext
from shared.kinds.dns import DnsSpec
from shared.kinds.http import HttpSpec
from shared.kinds.tcp import TcpSpec
from shared.monitors import Monitor
from shared.probes import Checker
from tests.integration.conftest import monitor_body
from tests.integration.servers.dns_server import DnsServer, name

FINDING_3 = [
    "http://169.254.169.254/latest/meta-data/",
    "http://[::ffff:169.254.169.254]/",
    "http://0xA9FEA9FE/",
    "http://2852039166/",
    "http://metadata.google.internal/computeMetadata/v1/",
    "http://0.0.0.0:8123/",
]


def _monitor(kind: str, target: str, **spec: Any) -> Monitor:
    at = datetime.now(UTC)
    return Monitor(
        id="m1", name="egress", kind=kind, target=target, timeout_s=2.0,
        created_at=at, updated_at=at, **spec,
    )  # fmt: skip


def _ch_port(settings) -> int:
    return int(settings.clickhouse_url.rsplit(":", 1)[1])


def _nats_port(settings) -> int:
    return int(settings.nats_url.rsplit(":", 1)[1].split("/")[0])


@contextlib.asynccontextmanager
async def _served(app: web.Application) -> AsyncIterator[int]:
    """The app on a free loopback port, for as long as the block runs."""
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    try:
        yield site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    finally:
        await runner.cleanup()


# --- create time ---------------------------------------------------------------------


@pytest.mark.parametrize("url", FINDING_3)
async def test_every_metadata_and_unspecified_literal_is_a_422_naming_target(api, url):
    reply = await api.call("POST", "/api/v1/monitors", monitor_body(target=url))
    assert reply.status == 422, reply.body
    assert reply.headers["Content-Type"] == "application/problem+json"
    assert [e["field"] for e in reply.body["errors"]] == ["target"]
    assert "egress denied" in reply.body["errors"][0]["message"]


async def test_monitors_on_own_clickhouse_and_nats_ports_are_a_422(api, settings):
    http = monitor_body(target=f"http://127.0.0.1:{_ch_port(settings)}/?query=SELECT+1")
    tcp = monitor_body(
        kind="tcp",
        target=f"127.0.0.1:{_nats_port(settings)}",
        tcp={"send": "PUB forged 1\r\nx\r\n"},
    )
    for body in (http, tcp):
        reply = await api.call("POST", "/api/v1/monitors", body)
        assert reply.status == 422, reply.body
        assert reply.body["errors"][0]["field"] == "target"
        assert "own parts" in reply.body["errors"][0]["message"]


async def test_a_link_local_dns_resolver_is_a_422_naming_dns_resolver(api):
    body = monitor_body(kind="dns", target="example.com", dns={"resolver": "169.254.169.253"})
    reply = await api.call("POST", "/api/v1/monitors", body)
    assert reply.status == 422, reply.body
    assert reply.body["errors"][0]["field"] == "dns.resolver"


async def test_a_webhook_channel_to_a_metadata_url_is_a_422_naming_config_url(api):
    body = {
        "name": "hook",
        "kind": "webhook",
        "config": {"url": "http://metadata.google.internal/computeMetadata/v1/"},
    }
    reply = await api.call("POST", "/api/v1/channels", body)
    assert reply.status == 422, reply.body
    assert reply.body["errors"][0]["field"] == "config.url"


async def test_loopback_targets_stay_allowed_with_the_private_switch_off(api):
    reply = await api.call("POST", "/api/v1/monitors", monitor_body(target="http://127.0.0.1:9/"))
    assert reply.status == 201, reply.body


# --- check time ----------------------------------------------------------------------


@pytest.fixture
async def own_checker(settings) -> AsyncIterator[Checker]:
    async with Checker(policy=egress.from_settings(settings)) as checker:
        yield checker


async def test_an_http_check_on_own_clickhouse_is_egress_denied(own_checker, settings):
    monitor = _monitor("http", f"http://127.0.0.1:{_ch_port(settings)}/?query=SELECT+version()")
    outcome = await own_checker.run(monitor)
    assert outcome.error_kind == "egress_denied", outcome
    assert outcome.http_status is None
    assert "version" not in (outcome.error or "")


async def test_a_tcp_send_to_own_nats_is_egress_denied_and_publishes_nothing(own_checker, settings):
    nc = await bus.connect(settings.nats_url, name="egress-watch")
    try:
        forged = await nc.subscribe("forged")
        send = "CONNECT {}\r\nPUB forged 1\r\nx\r\nPING\r\n"
        monitor = _monitor("tcp", f"127.0.0.1:{_nats_port(settings)}", tcp=TcpSpec(send=send))
        outcome = await own_checker.run(monitor)
        assert outcome.error_kind == "egress_denied", outcome
        assert "INFO" not in (outcome.error or "")
        await nc.flush()
        assert forged.pending_msgs == 0
    finally:
        await nc.close()


@pytest.fixture
async def redirector() -> AsyncIterator[tuple[str, list[str]]]:
    seen: list[str] = []

    async def handle(request: web.Request) -> web.Response:
        seen.append(request.path)
        raise web.HTTPFound(request.query["to"])

    app = web.Application()
    app.router.add_get("/go", handle)
    async with _served(app) as port:
        yield f"http://127.0.0.1:{port}/go", seen


@pytest.mark.parametrize(
    "to", ["http://169.254.169.254/latest/meta-data/", "http://[::ffff:a9fe:a9fe]/"]
)
async def test_a_redirect_to_a_metadata_address_is_not_followed(redirector, to):
    start, seen = redirector
    async with Checker() as checker:
        spec = HttpSpec(follow_redirects=True)
        outcome = await checker.run(_monitor("http", f"{start}?to={to}", http=spec))
    assert outcome.error_kind == "egress_denied", outcome
    assert "169.254.169.254" in (outcome.error or "")
    assert seen == ["/go"]


async def test_a_redirect_to_own_clickhouse_is_not_followed(redirector, own_checker, settings):
    start, seen = redirector
    to = f"http://127.0.0.1:{_ch_port(settings)}/?query=SELECT+1"
    outcome = await own_checker.run(_monitor("http", f"{start}?to={to}", http=HttpSpec()))
    assert outcome.error_kind == "egress_denied", outcome
    assert seen == ["/go"]


class _LocalDnsResolver(AbstractResolver):
    """Answers http checks' lookups from the local test DNS server."""

    def __init__(self, server: DnsServer) -> None:
        host, port = server.address.rsplit(":", 1)
        self.resolver = dns.asyncresolver.Resolver(configure=False)
        self.resolver.nameservers = [dns.nameserver.Do53Nameserver(host.strip("[]"), int(port))]
        self.asked: list[str] = []

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        self.asked.append(host)
        answer = await self.resolver.resolve(host, "A")
        return [self._result(host, r.address, port) for r in answer]

    @staticmethod
    def _result(host: str, address: str, port: int) -> ResolveResult:
        return ResolveResult(
            hostname=host, host=address, port=port, family=socket.AF_INET,
            proto=0, flags=socket.AI_NUMERICHOST,
        )  # fmt: skip

    async def close(self) -> None:
        return None


async def test_a_dns_answer_of_a_metadata_address_is_egress_denied_before_connecting():
    records = {("meta", "A"): ["169.254.169.254"]}
    async with DnsServer(records) as server:
        resolver = _LocalDnsResolver(server)
        async with Checker(resolver=resolver) as checker:
            target = f"http://{name('meta').rstrip('.')}/latest/meta-data/"
            outcome = await checker.run(_monitor("http", target))
    assert resolver.asked  # the name was looked up ...
    assert outcome.error_kind == "egress_denied", outcome  # ... and its answer refused
    assert outcome.phases.connect_ms is None
    assert "169.254.169.254" in (outcome.error or "")


async def test_a_dns_check_through_a_denied_resolver_is_egress_denied():
    spec = DnsSpec(record_type="A", resolver="169.254.169.253")
    async with Checker() as checker:
        outcome = await checker.run(_monitor("dns", "example.com", dns=spec))
    assert outcome.error_kind == "egress_denied", outcome


# --- notifier ------------------------------------------------------------------------


async def test_a_provider_post_to_own_parts_or_metadata_is_refused(settings):
    policy = egress.from_settings(settings)
    ctx = SendContext(timeout_s=2.0, public_url="http://127.0.0.1:8080")
    async with egress_session(policy) as session:
        for url in (
            f"http://127.0.0.1:{_ch_port(settings)}/?query=SELECT+1",
            "http://169.254.169.254/latest/meta-data/",
        ):
            req = provider_http.json_request(url, {"text": "test"})
            outcome = await provider_http.post(session, req, ctx)
            assert not outcome.ok
            assert not outcome.retryable
            assert "egress" in (outcome.error or "")


async def test_a_provider_answer_is_echoed_only_as_a_short_excerpt():
    app = web.Application()

    async def refuse(_: web.Request) -> web.Response:
        return web.Response(status=400, text="Code: 62. DB::Exception\r\n" + "x" * 5000)

    app.router.add_post("/", refuse)
    async with _served(app) as port, aiohttp.ClientSession() as session:
        req = provider_http.json_request(f"http://127.0.0.1:{port}/", {})
        outcome = await provider_http.post(
            session, req, SendContext(timeout_s=2.0, public_url="http://127.0.0.1:8080")
        )
    assert outcome.error is not None
    assert len(outcome.error) <= len("receiver answered 400: ") + egress.EXCERPT_CHARS
    assert "\r" not in outcome.error
