"""The grpc and postgres kinds through the running stack: created by the API, scheduled,
checked by an executor process against a real grpc health server and the session's
Postgres, and recorded; the Postgres password sealed at rest and masked when shown, yet
opened by the executor to log in."""

from __future__ import annotations

import asyncpg
import grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc
from grpc_health.v1.health import aio as health_aio

from shared.sealing import MASK
from tests.conftest import eventually
from tests.e2e.test_kinds import create, latest
from tests.integration.servers.certs import TestCA
from tests.integration.servers.postgres import password_role, tls_front


async def test_grpc_and_postgres_monitors_run_through_the_stack(stack, api, infra, tmp_path):
    health = health_aio.HealthServicer()
    await health.set("orders.v1.Orders", health_pb2.HealthCheckResponse.SERVING)
    server = grpc.aio.server()
    health_pb2_grpc.add_HealthServicer_to_server(health, server)
    grpc_port = server.add_insecure_port("127.0.0.1:0")
    await server.start()
    # A TLS front on its own port: the executor refuses upmon's own Postgres port.
    front = TestCA().issue(("localhost",)).server_context(tmp_path)
    try:
        async with (
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
    finally:
        await server.stop(0)

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
