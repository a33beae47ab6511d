"""The HTTP/1.1 client of http checks: one request per fresh connection, on asyncio Protocols.

Each hop resolves the host (through the Checker's resolver), has the egress policy
judge every address before any packet leaves, connects (happy eyeballs), shakes
hands over TLS (tls_layer: cryptography's OpenSSL), writes the request and lets
llhttp (wire.Response) read the answer. The phases are timed apart on the way.
No connection is kept, no cookie and no DNS answer: each check pays what a
first-time visitor pays.
"""

from __future__ import annotations

import asyncio
import socket
import ssl
from collections.abc import Callable, Mapping
from typing import Any

import aiohappyeyeballs
from aiohttp.abc import AbstractResolver
from yarl import URL

from shared.probes import resolve, tls_layer, wire
from shared.probes.resolve import is_ip_literal
from shared.probes.timing import Timeline

# aiohttp's defaults, which checks used before this client.
_STAGGER_S = 0.25
_DEFAULT_PORTS = {"http": 80, "https": 443}


class InvalidUrl(ValueError):
    def __init__(self, url: str) -> None:
        super().__init__(url)
        self.url = url


class HopError(Exception):
    """Anything that went wrong on one hop, with the host and port that hop went to."""

    def __init__(self, host: str, port: int, error: BaseException) -> None:
        super().__init__(host, port, error)
        self.host, self.port, self.error = host, port, error


def target_url(text: str) -> URL:
    try:
        url = URL(text)
    except (ValueError, TypeError):
        raise InvalidUrl(text) from None
    if url.scheme not in _DEFAULT_PORTS or not url.raw_host:
        raise InvalidUrl(text)
    return url


class Exchange(asyncio.Protocol):
    """Feeds what arrives to the response and wakes the check when it has moved on."""

    def __init__(self, response: wire.Response) -> None:
        self.response = response
        self.transport: asyncio.Transport | None = None
        self.failure: BaseException | None = None
        self._waiter: asyncio.Future[None] | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def data_received(self, data: bytes) -> None:
        try:
            self.response.feed(data)
        except wire.BadResponse as exc:
            self.failure = exc
        self._wake()

    def eof_received(self) -> bool:
        self._end()
        return False

    def connection_lost(self, exc: Exception | None) -> None:
        if exc is not None and not self.response.done and self.failure is None:
            self.failure = exc
        self._end()

    def _end(self) -> None:
        try:
            self.response.eof()
        except wire.BadResponse as exc:
            self.failure = self.failure or exc
        self._wake()

    def _wake(self) -> None:
        if self._waiter is not None and not self._waiter.done():
            self._waiter.set_result(None)

    async def until(self, ready: Callable[[], bool]) -> None:
        # After connection_lost either the response is whole or a failure is set: no hang.
        while self.failure is None and not ready():
            self._waiter = asyncio.get_running_loop().create_future()
            await self._waiter
        if self.failure is not None:
            raise self.failure


class Client:
    """What every http check of one Checker shares: the resolver and the TLS contexts."""

    def __init__(self, resolver: AbstractResolver, ssl_context: ssl.SSLContext | None) -> None:
        self._resolver = resolver
        # A custom context trusts extra CAs (private PKI) for monitors with verify_tls.
        self._tls = tls_layer.Contexts(ssl_context)

    async def exchange(
        self,
        request: Request,
        timeline: Timeline,
        *,
        stop_at_redirect: bool,
    ) -> tuple[wire.Response, Any]:
        """The response to one request, and the server's verified certificate (None on plain
        HTTP or without verification).

        With stop_at_redirect, a redirect's body is not read: only its head is needed.
        """
        url = request.url
        host, port = url.raw_host or "", url.port or _DEFAULT_PORTS[url.scheme]
        try:
            infos = await self._addresses(host, port, timeline)
            return await self._over(infos, request, timeline, stop_at_redirect)
        except (OSError, wire.BadResponse) as exc:
            if isinstance(exc, TimeoutError) and exc.errno is None:
                raise  # the monitor's deadline, reported by the Checker
            raise HopError(host, port, exc) from exc

    async def _addresses(self, host: str, port: int, timeline: Timeline) -> list[Any]:
        if is_ip_literal(host):
            return resolve.permitted(host, [_addr_info(host, port)], port)
        timeline.start("dns_ms")
        answer = await self._resolver.resolve(host, port, family=socket.AF_UNSPEC)
        timeline.stop("dns_ms")
        infos = [_addr_info(item["host"], item["port"]) for item in answer]
        # Every address connected to was judged here: a redirect's hop too.
        return resolve.permitted(host, infos, port)

    async def _over(
        self, infos: list[Any], request: Request, timeline: Timeline, stop_at_redirect: bool
    ) -> tuple[wire.Response, Any]:
        response = wire.Response(request.cap, head_only=request.method == "HEAD")
        exchange = await self._connect(infos, request, Exchange(response), timeline)
        transport = exchange.transport
        assert transport is not None
        try:
            timeline.start("ttfb_ms")
            transport.write(request.data)
            await exchange.until(lambda: response.head_done)
            timeline.stop("ttfb_ms")
            if stop_at_redirect and _redirects(response):
                return response, None
            timeline.start("transfer_ms")
            await exchange.until(lambda: response.done)
            timeline.stop("transfer_ms")
            tls = isinstance(transport, tls_layer.TlsTransport)
            return response, transport.peer_certificate() if tls else None
        finally:
            # The server closes after its answer; what is left (a capped body) is cut off.
            transport.abort()

    async def _connect(
        self, infos: list[Any], request: Request, exchange: Exchange, timeline: Timeline
    ) -> Exchange:
        url = request.url
        loop = asyncio.get_running_loop()
        timeline.start("connect_ms")
        await _tcp(loop, infos, exchange)
        timeline.stop("connect_ms")
        if url.scheme != "https":
            return exchange
        timeline.start("tls_ms")
        plain = exchange.transport
        assert plain is not None
        try:
            exchange.transport = await tls_layer.start_tls(  # type: ignore[assignment]
                plain, exchange, self._tls.get(request.verify), url.raw_host or "", request.verify
            )
        except BaseException:
            plain.abort()
            raise
        timeline.stop("tls_ms")
        return exchange


async def _tcp(loop: asyncio.AbstractEventLoop, infos: list[Any], exchange: Exchange) -> None:
    if len(infos) == 1:
        # One address: the loop opens the socket itself, much cheaper than in Python.
        family, _, _, _, address = infos[0]
        await loop.create_connection(lambda: exchange, address[0], address[1], family=family)
        return
    sock = await aiohappyeyeballs.start_connection(infos, happy_eyeballs_delay=_STAGGER_S)
    try:
        await loop.create_connection(lambda: exchange, sock=sock)
    except BaseException:
        sock.close()
        raise


class Request:
    """One hop's request, ready for the wire."""

    __slots__ = ("cap", "data", "method", "url", "verify")

    def __init__(
        self,
        method: str,
        url: URL,
        headers: Mapping[str, str],
        body: bytes | None,
        *,
        cap: int,
        verify: bool,
    ) -> None:
        self.method, self.url, self.cap, self.verify = method, url, cap, verify
        self.data = wire.request_bytes(method, url, headers, body)


def _redirects(response: wire.Response) -> bool:
    return response.status in wire.REDIRECTS and "location" in response.headers


def _addr_info(host: str, port: int) -> tuple[Any, ...]:
    if ":" in host:
        return (socket.AF_INET6, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", (host, port, 0, 0))
    return (socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", (host, port))
