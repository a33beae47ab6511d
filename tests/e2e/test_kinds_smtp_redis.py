"""The smtp and redis kinds through the running stack: created by the API, scheduled,
checked by an executor process against a real local aiosmtpd and redis-server, and
recorded; the redis password sealed at rest and masked when shown, yet opened by the
executor for AUTH."""

from __future__ import annotations

import asyncpg
from aiosmtpd.controller import Controller

from shared.sealing import MASK
from stack.parts import free_port
from tests.conftest import eventually
from tests.e2e.test_kinds import create, latest
from tests.integration.servers.certs import TestCA
from tests.integration.servers.redis_server import PROBE_PASSWORD, PROBE_USER, redis_servers


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
