"""A connector that times each step of opening a connection apart.

aiohttp opens the socket and wraps it in TLS within one private call,
`TCPConnector._wrap_create_connection`; this subclass splits that call in two
halves it can time. The override mirrors aiohttp 3.14 (pinned in
constraints.txt); a unit test fails loudly if aiohttp stops calling it.

Phases go to the Timeline of the running check (timing.current); the response
class ends ttfb_ms once the response headers are in.
"""

from __future__ import annotations

import asyncio
import socket
import sys
from typing import Any

import aiohappyeyeballs
import aiohttp
from aiohttp.abc import AbstractResolver, ResolveResult
from aiohttp.resolver import ThreadedResolver

from services.executor.checks import resolve, timing


class TimedResolver(AbstractResolver):
    """Times the lookups of another resolver; aiohttp skips it for IP literals."""

    def __init__(self, inner: AbstractResolver) -> None:
        self.inner = inner

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        timeline = timing.active()
        timeline.start("dns_ms")
        answer = await self.inner.resolve(host, port, family)
        timeline.stop("dns_ms")
        return answer

    async def close(self) -> None:
        await self.inner.close()


class TimedConnector(aiohttp.TCPConnector):
    def __init__(self, *, resolver: AbstractResolver | None = None, **kwargs: Any) -> None:
        super().__init__(resolver=TimedResolver(resolver or ThreadedResolver()), **kwargs)

    async def _wrap_create_connection(
        self,
        *args: Any,
        addr_infos: list[Any],
        req: Any,
        timeout: aiohttp.ClientTimeout,
        client_error: type[Exception] = aiohttp.ClientConnectorError,
        **kwargs: Any,
    ) -> tuple[asyncio.Transport, Any]:
        # Every hop of a redirect comes through here with its resolved addresses.
        addr_infos = resolve.permitted(req.host, addr_infos, req.port)
        timeline = timing.active()
        timeline.start("connect_ms")
        sock = await self._open_socket(addr_infos, req, timeout, client_error)
        timeline.stop("connect_ms")
        if kwargs.get("ssl"):
            timeline.start("tls_ms")
            if self._ssl_shutdown_timeout and sys.version_info >= (3, 11):
                kwargs["ssl_shutdown_timeout"] = self._ssl_shutdown_timeout
        # With a socket given, create_connection only sets up the transport and its TLS
        # handshake; the parent's wrapper maps TLS and socket errors as aiohttp always does.
        connection = await self._wrap_existing_connection(
            *args, req=req, timeout=timeout, client_error=client_error, sock=sock, **kwargs
        )
        timeline.stop("tls_ms")
        timeline.start("ttfb_ms")
        return connection

    async def _open_socket(
        self,
        addr_infos: list[Any],
        req: Any,
        timeout: aiohttp.ClientTimeout,
        client_error: type[Exception],
    ) -> socket.socket:
        connecting = aiohappyeyeballs.start_connection(
            addr_infos=addr_infos,
            local_addr_infos=self._local_addr_infos,
            happy_eyeballs_delay=self._happy_eyeballs_delay,
            interleave=self._interleave,
            loop=self._loop,
            socket_factory=self._socket_factory,
        )
        try:
            # A timeout context costs a few microseconds even when it never fires.
            if timeout.sock_connect is None:
                return await connecting
            async with asyncio.timeout(timeout.sock_connect):
                return await connecting
        except OSError as exc:
            # A timeout is the caller's to report, as in aiohttp's own connector.
            if exc.errno is None and isinstance(exc, TimeoutError):
                raise
            raise client_error(req.connection_key, exc) from exc
