"""The raw-protocol reference: HTTP/1.1 GETs on an asyncio Protocol, a fresh connection each.

No client library at all: connect, write one request, read until the server closes,
take the status code. It is the floor of what a fresh-connection HTTP check can cost
in Python on this event loop, and the reference the executor's CPU per check is
held against.
"""

from __future__ import annotations

import asyncio
import itertools
import ssl
import time
from collections import Counter
from urllib.parse import urlsplit

from .bare import Result


class _Get(asyncio.Protocol):
    def __init__(self, request: bytes, done: asyncio.Future[str]) -> None:
        self.request = request
        self.done = done
        self.head = b""

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        transport.write(self.request)  # type: ignore[attr-defined]

    def data_received(self, data: bytes) -> None:
        if len(self.head) < 12:
            self.head += data[:12]

    def connection_lost(self, exc: Exception | None) -> None:
        if not self.done.done():
            status = self.head[9:12].decode("ascii", "replace")
            self.done.set_result(type(exc).__name__ if exc else status or "empty")


async def run(urls: list[str], count: int, concurrency: int) -> Result:
    """Same contract as support.bare.run, without aiohttp."""
    ended: Counter[str] = Counter()
    numbers = itertools.count()
    targets = [_target(u) for u in urls]
    loop = asyncio.get_running_loop()
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE

    async def one(host: str, port: int, tls: bool, request: bytes) -> str:
        done: asyncio.Future[str] = loop.create_future()
        try:
            await loop.create_connection(
                lambda: _Get(request, done), host, port, ssl=context if tls else None
            )
        except OSError as exc:
            return type(exc).__name__
        return await done

    async def worker() -> None:
        while (i := next(numbers)) < count:
            ended[await one(*targets[i % len(targets)])] += 1

    started, cpu = time.perf_counter(), time.process_time()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return Result(time.perf_counter() - started, time.process_time() - cpu, ended)


def _target(url: str) -> tuple[str, int, bool, bytes]:
    parts = urlsplit(url)
    tls = parts.scheme == "https"
    port = parts.port or (443 if tls else 80)
    request = (
        f"GET {parts.path or '/'} HTTP/1.1\r\nHost: {parts.netloc}\r\nConnection: close\r\n\r\n"
    ).encode()
    return parts.hostname or "", port, tls, request
