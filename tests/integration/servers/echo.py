"""A WebSocket echo server (plain, and TLS if given a context) and a UDP PING -> PONG
one on loopback: the targets of the websocket and udp kinds' end-to-end tests."""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from aiohttp import WSMsgType, web


@dataclass(frozen=True)
class EchoServers:
    ws_port: int
    udp_port: int
    wss_port: int | None = None


class _Pong(asyncio.DatagramProtocol):
    def connection_made(self, transport: Any) -> None:
        self.transport = transport

    def datagram_received(self, data: bytes, addr: Any) -> None:
        self.transport.sendto(b"PONG " + data, addr)


def _echo(bearer: str | None):
    async def echo(request: web.Request) -> web.StreamResponse:
        if bearer is not None and request.headers.get("Authorization") != f"Bearer {bearer}":
            return web.Response(status=401)
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        async for message in ws:
            if message.type == WSMsgType.TEXT:
                await ws.send_str(f"echo: {message.data}")
        return ws

    return echo


def _port(site: web.TCPSite) -> int:
    return site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]


@asynccontextmanager
async def echo_servers(
    bearer: str | None = None, tls: ssl.SSLContext | None = None
) -> AsyncIterator[EchoServers]:
    """`/echo` answers "echo: <text>"; with `bearer`, only to that token (else 401)."""
    app = web.Application()
    app.router.add_get("/echo", _echo(bearer))
    runner = web.AppRunner(app, shutdown_timeout=0.5)
    await runner.setup()
    udp = None
    try:
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        wss_port = None
        if tls is not None:
            tls_site = web.TCPSite(runner, "127.0.0.1", 0, ssl_context=tls)
            await tls_site.start()
            wss_port = _port(tls_site)
        udp, _ = await asyncio.get_running_loop().create_datagram_endpoint(
            _Pong, local_addr=("127.0.0.1", 0)
        )
        yield EchoServers(_port(site), udp.get_extra_info("sockname")[1], wss_port)
    finally:
        if udp is not None:
            udp.close()
        await runner.cleanup()
