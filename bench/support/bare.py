"""The bare loop: plain aiohttp GETs, a fresh connection each, nothing done with the answer.

It is the ceiling the executor is compared with: the same requests, without NATS,
timing, judging or publishing.
"""

from __future__ import annotations

import asyncio
import itertools
import time
from collections import Counter
from dataclasses import dataclass

import aiohttp


@dataclass
class Result:
    seconds: float
    cpu_seconds: float
    ended: Counter[str]


async def run(urls: list[str], count: int, concurrency: int) -> Result:
    """`count` requests spread over `urls`: time and CPU taken, and how they ended."""
    ended: Counter[str] = Counter()
    numbers = itertools.count()
    connector = aiohttp.TCPConnector(force_close=True, limit=0)
    async with aiohttp.ClientSession(connector=connector) as session:

        async def worker() -> None:
            while (i := next(numbers)) < count:
                ended[await _get(session, urls[i % len(urls)])] += 1

        started, cpu = time.perf_counter(), time.process_time()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        return Result(time.perf_counter() - started, time.process_time() - cpu, ended)


async def _get(session: aiohttp.ClientSession, url: str) -> str:
    try:
        async with session.get(url, ssl=False) as response:
            await response.read()
            return str(response.status)
    except (aiohttp.ClientError, OSError) as exc:
        return type(exc).__name__
