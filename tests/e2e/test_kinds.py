"""Every monitor kind through the running stack: created by the API, scheduled, checked
by an executor process against a local server (a real grpc health server, aiosmtpd,
redis-server and the session's Postgres among them), recorded, and readable as results.
Secrets (Postgres and redis passwords, a websocket's bearer token) are sealed at rest
and masked when shown, yet opened by the executor to log in.

The tests share one stack: each reads only the monitors it made, and starting a stack
costs more than all their checks together."""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import AsyncIterator

import asyncpg
import pytest
from aiosmtpd.controller import Controller

from shared.sealing import MASK
from stack.parts import free_port
from tests.conftest import eventually
from tests.harness import Stack, stack_on_own_parts
from tests.integration.servers import certs
from tests.integration.servers.certs import TestCA
from tests.integration.servers.dns_server import DnsServer, name
from tests.integration.servers.echo import echo_servers
from tests.integration.servers.grpc_health import health_server
from tests.integration.servers.postgres import password_role, tls_front
from tests.integration.servers.redis_server import PROBE_PASSWORD, PROBE_USER, redis_servers


@pytest.fixture(scope="module")
async def stack(infra, pg_template, tmp_path_factory) -> AsyncIterator[Stack]:
    async with stack_on_own_parts(infra, pg_template, tmp_path_factory.mktemp("stack")) as st:
        yield st


async def latest(api, mid: str) -> dict | None:
    async with api.get(f"/api/v1/monitors/{mid}/results?limit=1") as resp:
        items = (await resp.json())["items"]
    return items[0] if items else None


async def create(api, **fields) -> str:
    async with api.post("/api/v1/monitors", json={"name": fields["kind"], **fields}) as resp:
        assert resp.status == 201, await resp.text()
        return (await resp.json())["id"]


async def test_tcp_dns_tls_and_ping_monitors_run_through_the_stack(stack, api, tmp_path):
    async def echo(reader, writer):
        writer.write(b"220 ready\r\n")
        await writer.drain()
        writer.close()

    tcp = await asyncio.start_server(echo, "127.0.0.1", 0)
    tcp_port = tcp.sockets[0].getsockname()[1]
    # A self-signed certificate: the executor trusts only the system's CAs, so the
    # TLS check must find it invalid and still record the certificate's identity.
    issued = certs.self_signed()
    context: ssl.SSLContext = issued.server_context(tmp_path)
    tls = await asyncio.start_server(echo, "127.0.0.1", 0, ssl=context)
    tls_port = tls.sockets[0].getsockname()[1]
    async with DnsServer() as dns, tcp, tls:
        ids = {
            "tcp": await create(
                api, kind="tcp", target=f"127.0.0.1:{tcp_port}", interval_s=1,
                tcp={"expect": "220"},
            ),
            "dns": await create(
                api, kind="dns", target=name("www"), interval_s=1,
                dns={"record_type": "A", "expected": ["192.0.2.10"], "resolver": dns.address},
            ),
            "tls": await create(api, kind="tls", target=f"localhost:{tls_port}", interval_s=1),
            "ping": await create(api, kind="ping", target="127.0.0.1", interval_s=2),
        }  # fmt: skip
        results = {}
        for kind, mid in ids.items():
            results[kind] = await eventually(lambda mid=mid: latest(api, mid), timeout=20)
    assert results["tcp"]["status"] == "up" and results["tcp"]["phases"]["connect_ms"] is not None
    assert results["dns"]["status"] == "up"
    assert results["dns"]["details"]["answers"] == ["192.0.2.10", "192.0.2.11"]
    assert results["tls"]["status"] == "down" and results["tls"]["error_kind"] == "cert_invalid"
    assert results["tls"]["cert_expires_at"] and results["tls"]["cert_subject"]
    assert results["ping"]["status"] == "up" and results["ping"]["details"]["received"] >= 1


async def test_grpc_and_postgres_monitors_run_through_the_stack(stack, api, infra, tmp_path):
    # A TLS front on its own port: the executor refuses upmon's own Postgres port.
    front = TestCA().issue(("localhost",)).server_context(tmp_path)
    async with (
        health_server("orders.v1.Orders") as grpc_port,
        password_role(infra.pg_admin_dsn()) as role,
        tls_front((role.host, role.port), front) as (pg_port, sessions),
    ):
        grpc_id = await create(
            api,
            kind="grpc",
            target=f"localhost:{grpc_port}",
            interval_s=1,
            grpc={"service": "orders.v1.Orders"},
        )
        pg_id = await create(
            api, kind="postgres", target=f"127.0.0.1:{pg_port}", interval_s=1,
            postgres={"user": role.user, "password": role.password, "sslmode": "require"},
        )  # fmt: skip
        rpc = await eventually(lambda: latest(api, grpc_id), timeout=20)
        db = await eventually(lambda: latest(api, pg_id), timeout=20)

    assert (rpc["status"], rpc["error"]) == ("up", None), rpc
    assert rpc["phases"]["dns_ms"] is not None and rpc["phases"]["ttfb_ms"] is not None
    # Up only if the executor sent the password itself: its sealed form would be refused.
    assert (db["status"], db["error"]) == ("up", None), db
    assert db["phases"]["connect_ms"] is not None and db["phases"]["ttfb_ms"] is not None
    assert sessions and role.user.encode() in sessions[0]

    async with api.get(f"/api/v1/monitors/{pg_id}") as resp:
        shown = await resp.json()
    assert shown["postgres"]["password"] == MASK
    conn = await asyncpg.connect(stack.settings.pg_dsn)
    try:
        doc = await conn.fetchval("SELECT doc::text FROM monitors WHERE id = $1", pg_id)
    finally:
        await conn.close()
    assert role.password not in doc and role.user in doc


class _Accepting:
    async def handle_DATA(self, _server, _session, _envelope):
        return "250 OK"


async def test_smtp_and_redis_monitors_run_through_the_stack(stack, api, tmp_path):
    mail = Controller(_Accepting(), hostname="127.0.0.1", port=free_port())
    mail.start()
    try:
        with redis_servers(tmp_path, TestCA()) as redis:
            smtp_id = await create(api, kind="smtp", target=f"127.0.0.1:{mail.port}", interval_s=1)
            redis_id = await create(
                api, kind="redis", target=f"localhost:{redis.port}", interval_s=1,
                redis={"username": PROBE_USER, "password": PROBE_PASSWORD, "database": 2},
            )  # fmt: skip
            smtp = await eventually(lambda: latest(api, smtp_id), timeout=20)
            cache = await eventually(lambda: latest(api, redis_id), timeout=20)
    finally:
        mail.stop()

    assert (smtp["status"], smtp["error"]) == ("up", None)
    assert smtp["details"]["banner"].endswith("Python SMTP 1.4.6")
    assert smtp["phases"]["connect_ms"] is not None and smtp["phases"]["ttfb_ms"] is not None
    # Up only if the executor sent the password itself: its sealed form would be WRONGPASS.
    assert (cache["status"], cache["error"]) == ("up", None), cache
    assert cache["phases"]["dns_ms"] is not None and cache["phases"]["ttfb_ms"] is not None

    async with api.get(f"/api/v1/monitors/{redis_id}") as resp:
        shown = await resp.json()
    assert shown["redis"] == {"username": PROBE_USER, "password": MASK, "database": 2}
    conn = await asyncpg.connect(stack.settings.pg_dsn)
    try:
        doc = await conn.fetchval("SELECT doc::text FROM monitors WHERE id = $1", redis_id)
    finally:
        await conn.close()
    assert PROBE_PASSWORD not in doc and PROBE_USER in doc


async def test_websocket_and_udp_monitors_run_through_the_stack(stack, api, tmp_path):
    # Self-signed, which the executor does not trust: checked with verify_tls off, the
    # certificate's identity is still recorded.
    tls = certs.self_signed().server_context(tmp_path)
    async with echo_servers(bearer="s3cret", tls=tls) as servers:
        ws_port, wss_port, udp_port = servers.ws_port, servers.wss_port, servers.udp_port
        ids = {
            "websocket": await create(
                api, kind="websocket", target=f"ws://127.0.0.1:{ws_port}/echo", interval_s=1,
                websocket={"send": "hi", "expect": "echo: hi", "bearer_token": "s3cret"},
            ),
            "wss": await create(
                api, kind="websocket", target=f"wss://localhost:{wss_port}/echo", interval_s=1,
                websocket={"verify_tls": False, "bearer_token": "s3cret"},
            ),
            "udp": await create(
                api, kind="udp", target=f"127.0.0.1:{udp_port}", interval_s=1,
                udp={"send": "50494e47", "expect": "504f4e47", "encoding": "hex"},
            ),
        }  # fmt: skip
        # The token is sealed at rest and masked when shown; the server upgrades only
        # if the executor opened it.
        async with api.get(f"/api/v1/monitors/{ids['websocket']}") as resp:
            assert (await resp.json())["websocket"]["bearer_token"] == MASK
        conn = await asyncpg.connect(stack.settings.pg_dsn)
        try:
            doc = await conn.fetchval(
                "SELECT doc::text FROM monitors WHERE id = $1", ids["websocket"]
            )
        finally:
            await conn.close()
        assert "s3cret" not in doc and "bearer_token" in doc
        results = {}
        for kind, mid in ids.items():
            results[kind] = await eventually(lambda mid=mid: latest(api, mid), timeout=20)
    ws, dgram = results["websocket"], results["udp"]
    assert (ws["status"], ws["error"]) == ("up", None)
    assert ws["phases"]["connect_ms"] is not None and ws["phases"]["ttfb_ms"] is not None
    assert ws["phases"]["transfer_ms"] is not None
    wss = results["wss"]
    assert (wss["status"], wss["error"]) == ("up", None)
    assert wss["phases"]["tls_ms"] is not None and wss["phases"]["dns_ms"] is not None
    assert wss["cert_subject"] == "CN=localhost, O=upmon tests" and wss["cert_expires_at"]
    assert (dgram["status"], dgram["error"]) == ("up", None)
    assert dgram["phases"]["ttfb_ms"] is not None
    assert dgram["details"] == {"reply_bytes": 9}
