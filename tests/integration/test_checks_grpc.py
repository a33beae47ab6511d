"""grpc checks against a real grpc server on loopback serving the standard health service,
in plaintext and over TLS with a certificate made for the run."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import grpc
import pytest
import uvloop
from grpc_health.v1 import health_pb2, health_pb2_grpc
from grpc_health.v1.health import aio as health_aio

from shared import egress
from shared.kinds.grpc import GrpcOptions
from shared.monitors import Monitor
from shared.probes import Checker, Outcome
from tests.integration.servers.certs import TestCA
from tests.integration.servers.grpc_health import health_server

Status = health_pb2.HealthCheckResponse


def monitor(target: str, timeout_s: float = 2.0, **spec) -> Monitor:
    at = datetime.now(UTC)
    return Monitor(
        id="m1",
        name="grpc target",
        kind="grpc",
        target=target,
        timeout_s=timeout_s,
        grpc=GrpcOptions(**spec),
        created_at=at,
        updated_at=at,
    )


@dataclass
class Servers:
    plain: int
    secure: int
    # A certificate for localhost alone: the name, never the address, is verified.
    named_only: int
    # A grpc server without the health service.
    bare: int
    # Accepts TCP and never answers.
    mute: int
    ca: TestCA
    # The health server on ::1 as well.
    ipv6: int


def _credentials(ca: TestCA, names: tuple[str, ...], folder: Path) -> grpc.ServerCredentials:
    cert, key = ca.issue(names).write(folder)
    return grpc.ssl_server_credentials([(key.read_bytes(), cert.read_bytes())])


@pytest.fixture(scope="module")
async def servers(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Servers]:
    folder = Path(tmp_path_factory.mktemp("grpc"))
    ca = TestCA()
    health = health_aio.HealthServicer()
    await health.set("app.Up", Status.SERVING)
    await health.set("app.Down", Status.NOT_SERVING)
    server, bare = grpc.aio.server(), grpc.aio.server()
    health_pb2_grpc.add_HealthServicer_to_server(health, server)
    plain = server.add_insecure_port("127.0.0.1:0")
    secure = server.add_secure_port(
        "127.0.0.1:0", _credentials(ca, ("localhost", "127.0.0.1"), folder)
    )
    named_only = server.add_secure_port("127.0.0.1:0", _credentials(ca, ("localhost",), folder))
    bare_port = bare.add_insecure_port("127.0.0.1:0")
    ipv6 = server.add_insecure_port("[::1]:0")
    mute = await asyncio.start_server(lambda _r, _w: None, "127.0.0.1", 0)
    await server.start()
    await bare.start()
    try:
        mute_port = mute.sockets[0].getsockname()[1]
        yield Servers(plain, secure, named_only, bare_port, mute_port, ca, ipv6)
    finally:
        mute.close()
        await server.stop(0)
        await bare.stop(0)


@pytest.fixture(scope="module")
async def checker() -> AsyncIterator[Checker]:
    async with Checker() as c:
        yield c


@pytest.fixture(scope="module")
async def trusting(servers: Servers) -> AsyncIterator[Checker]:
    async with Checker(ssl_context=servers.ca.client_context()) as c:
        yield c


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def test_a_serving_server_is_up_with_connect_and_call_timed(checker, servers):
    outcome = await checker.run(monitor(f"127.0.0.1:{servers.plain}"))
    assert (outcome.status, outcome.error_kind, outcome.error) == ("up", None, None)
    phases = outcome.phases
    assert phases.dns_ms is None and phases.tls_ms is None
    assert phases.connect_ms is not None and phases.ttfb_ms is not None
    assert phases.connect_ms + phases.ttfb_ms <= outcome.latency_ms


async def test_a_named_serving_service_by_host_name_is_up_with_dns_timed(checker, servers):
    # localhost may answer ::1 first, where nothing listens: the next family is tried.
    outcome = await checker.run(monitor(f"localhost:{servers.plain}", service="app.Up"))
    assert outcome.status == "up", outcome.error
    assert outcome.phases.dns_ms is not None


async def test_an_ipv6_literal_target_is_checked_on_that_address(checker, servers):
    outcome = await checker.run(monitor(f"[::1]:{servers.ipv6}", service="app.Up"))
    assert outcome.status == "up", outcome.error
    refused = await checker.run(monitor(f"[::1]:{servers.plain}"))
    assert refused.error == f"connection refused by [::1]:{servers.plain}"


async def test_a_not_serving_service_is_down_with_its_status(checker, servers):
    outcome = await checker.run(monitor(f"127.0.0.1:{servers.plain}", service="app.Down"))
    assert (outcome.status, outcome.error_kind) == ("down", "expect")
    assert outcome.error == "service 'app.Down' is NOT_SERVING, not SERVING"
    assert outcome.phases.ttfb_ms is not None


async def test_an_unknown_service_is_down_with_not_found(checker, servers):
    outcome = await checker.run(monitor(f"127.0.0.1:{servers.plain}", service="app.Missing"))
    assert (outcome.status, outcome.error_kind) == ("down", "grpc_status")
    assert "NOT_FOUND" in outcome.error


async def test_a_server_without_the_health_service_is_down_with_unimplemented(checker, servers):
    outcome = await checker.run(monitor(f"127.0.0.1:{servers.bare}"))
    assert (outcome.status, outcome.error_kind) == ("down", "grpc_status")
    assert "UNIMPLEMENTED" in outcome.error


async def test_a_closed_port_is_refused(checker):
    port = _closed_port()
    outcome = await checker.run(monitor(f"127.0.0.1:{port}"))
    assert (outcome.status, outcome.error_kind) == ("down", "refused")
    assert outcome.error == f"connection refused by 127.0.0.1:{port}"


async def test_tls_verified_with_the_executors_ca_is_up(trusting, servers):
    outcome = await trusting.run(monitor(f"localhost:{servers.secure}", tls=True))
    assert outcome.status == "up", outcome.error
    assert outcome.phases.connect_ms is not None


async def test_tls_verifies_the_host_name_while_connecting_to_its_address(trusting, servers):
    by_name = await trusting.run(monitor(f"localhost:{servers.named_only}", tls=True))
    assert by_name.status == "up", by_name.error
    # The same server by address: its certificate does not name 127.0.0.1.
    by_address = await trusting.run(monitor(f"127.0.0.1:{servers.named_only}", tls=True))
    assert (by_address.status, by_address.error_kind) == ("down", "tls")


async def test_tls_with_an_untrusted_certificate_is_down_with_tls(checker, servers):
    outcome = await checker.run(monitor(f"localhost:{servers.secure}", tls=True))
    assert (outcome.status, outcome.error_kind) == ("down", "tls")
    assert "CERTIFICATE_VERIFY_FAILED" in outcome.error


async def test_tls_to_a_plaintext_server_is_down(trusting, servers):
    outcome = await trusting.run(monitor(f"127.0.0.1:{servers.plain}", tls=True))
    assert (outcome.status, outcome.error_kind) == ("down", "tls")


async def test_a_server_that_never_answers_times_out_while_connecting(checker, servers):
    outcome = await checker.run(monitor(f"127.0.0.1:{servers.mute}", timeout_s=0.5))
    assert (outcome.status, outcome.error_kind) == ("down", "timeout")
    assert outcome.error == "no response within 0.5 s while connecting"


async def test_a_denied_address_is_refused_before_any_connection(servers):
    accepted: list[int] = []
    listener = await asyncio.start_server(
        lambda _r, w: (accepted.append(1), w.close()), "127.0.0.1", 0
    )
    port = listener.sockets[0].getsockname()[1]
    policy = egress.Policy(deny=egress.parse_rules(f"127.0.0.1:{port}", "deny"))
    async with listener, Checker(policy=policy) as denying:
        outcome = await denying.run(monitor(f"127.0.0.1:{port}"))
        metadata = await denying.run(monitor("169.254.169.254:50051"))
    assert (outcome.status, outcome.error_kind) == ("down", "egress_denied")
    assert metadata.error_kind == "egress_denied"
    assert accepted == []


async def test_through_the_api_a_grpc_monitor_is_listed_and_bad_options_are_422s(api):
    body = {"name": "rpc", "kind": "grpc", "target": "api.example.com:50051"}
    created = await api.call("POST", "/api/v1/monitors", {**body, "grpc": {"tls": True}})
    assert created.status == 201, created.body
    assert created.body["grpc"] == {"tls": True}
    # The dashboard's form sends an empty service as null: the whole server.
    from_form = {**body, "grpc": {"service": None, "tls": False}}
    assert (await api.call("POST", "/api/v1/monitors", from_form)).status == 201
    kinds = await api.call("GET", "/api/v1/monitor-kinds")
    grpc_kind = next(k for k in kinds.body["items"] if k["kind"] == "grpc")
    assert [f["name"] for f in grpc_kind["fields"]] == ["service", "tls"]
    for change, field in [
        ({"grpc": {"service": "has space"}}, "grpc.service"),
        ({"grpc": {"tls": "yes"}}, "grpc.tls"),
        ({"target": "api.example.com"}, "target"),
        ({"target": "169.254.169.254:50051"}, "target"),
    ]:
        reply = await api.call("POST", "/api/v1/monitors", {**body, **change})
        assert reply.status == 422, (change, reply.body)
        assert [e["field"] for e in reply.body["errors"]] == [field], change


async def test_tls_sends_the_host_name_as_server_name_to_the_judged_address(
    trusting, servers, tmp_path
):
    names: list[str | None] = []
    context = servers.ca.issue(("localhost",)).server_context(tmp_path)
    context.sni_callback = lambda _ssl, name, _context: names.append(name)

    async def hang_up(_reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writer.close()

    # A plain TLS server, not grpc: the handshake is all this test looks at.
    listener = await asyncio.start_server(hang_up, "127.0.0.1", 0, ssl=context)
    async with listener:
        port = listener.sockets[0].getsockname()[1]
        outcome = await trusting.run(monitor(f"localhost:{port}", tls=True))
    assert outcome.status == "down"
    assert names and set(names) == {"localhost"}


async def _check_on_own_loop() -> Outcome:
    async with health_server() as port, Checker() as checker:
        return await checker.run(monitor(f"localhost:{port}"))


async def test_a_check_runs_on_uvloop_the_executors_loop():
    outcome = await asyncio.to_thread(uvloop.run, _check_on_own_loop())
    assert outcome.status == "up", outcome.error
    assert outcome.phases.connect_ms is not None and outcome.phases.ttfb_ms is not None
