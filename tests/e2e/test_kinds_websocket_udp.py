"""The websocket and udp kinds through the running stack: created by the API from their
one declaration, checked by an executor process against local servers, recorded with
their phases, and readable as results."""

from __future__ import annotations

import asyncio
from typing import Any

import asyncpg
from aiohttp import WSMsgType, web

from shared.sealing import MASK
from tests.conftest import eventually
from tests.integration.servers import certs


async def latest(api, mid: str) -> dict | None:
    async with api.get(f"/api/v1/monitors/{mid}/results?limit=1") as resp:
        items = (await resp.json())["items"]
    return items[0] if items else None


async def create(api, **fields: Any) -> str:
    async with api.post("/api/v1/monitors", json={"name": fields["kind"], **fields}) as resp:
        assert resp.status == 201, await resp.text()
        return (await resp.json())["id"]


async def echo(request: web.Request) -> web.StreamResponse:
    if request.headers.get("Authorization") != "Bearer s3cret":
        return web.Response(status=401)
    ws = web.WebSocketResponse()
    await ws.prepare(request)
    async for message in ws:
        if message.type == WSMsgType.TEXT:
            await ws.send_str(f"echo: {message.data}")
    return ws


class Pong(asyncio.DatagramProtocol):
    def connection_made(self, transport: Any) -> None:
        self.transport = transport

    def datagram_received(self, data: bytes, addr: Any) -> None:
        self.transport.sendto(b"PONG " + data, addr)


async def test_websocket_and_udp_monitors_run_through_the_stack(stack, api, tmp_path):
    app = web.Application()
    app.router.add_get("/echo", echo)
    runner = web.AppRunner(app, shutdown_timeout=0.5)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    ws_port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    # Self-signed, which the executor does not trust: checked with verify_tls off, the
    # certificate's identity is still recorded.
    tls_site = web.TCPSite(
        runner, "127.0.0.1", 0, ssl_context=certs.self_signed().server_context(tmp_path)
    )
    await tls_site.start()
    wss_port = tls_site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    loop = asyncio.get_running_loop()
    udp, _ = await loop.create_datagram_endpoint(Pong, local_addr=("127.0.0.1", 0))
    udp_port = udp.get_extra_info("sockname")[1]
    try:
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
    finally:
        udp.close()
        await runner.cleanup()
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
