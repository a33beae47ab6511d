"""Timing api reads: one request after another on a kept-alive connection, as one
browser tab would make them, and their percentiles."""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import aiohttp

Page = Callable[[aiohttp.ClientSession, int], Awaitable[None]]


@dataclass(frozen=True)
class Timing:
    name: str
    samples_ms: list[float]
    goal_ms: float

    def percentile(self, p: float) -> float:
        """Nearest rank: the smallest sample with at least p% of them at or below it."""
        ordered = sorted(self.samples_ms)
        rank = max(1, -(-len(ordered) * p // 100))
        return ordered[int(rank) - 1]

    def line(self) -> str:
        p50, p99 = self.percentile(50), self.percentile(99)
        return (
            f"  {self.name:<44} n={len(self.samples_ms):<4} p50 {p50:7.1f} ms"
            f"  p99 {p99:7.1f} ms  max {max(self.samples_ms):7.1f} ms"
            f"  goal p99 < {self.goal_ms:g} ms: {p99 / self.goal_ms:5.2f} x goal"
            f" {'ok' if p99 < self.goal_ms else 'MISSED'}"
        )


class Client:
    def __init__(self, base: str, key: str) -> None:
        self.base = base
        self.headers = {"Authorization": f"Bearer {key}"}
        self.session: aiohttp.ClientSession | None = None

    async def __aenter__(self) -> Client:
        self.session = aiohttp.ClientSession(
            headers=self.headers, connector=aiohttp.TCPConnector(limit=8)
        )
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self.session is not None
        await self.session.close()

    async def get(self, path: str) -> dict:
        assert self.session is not None
        async with self.session.get(self.base + path) as resp:
            body = await resp.json()
            if resp.status != 200:
                raise RuntimeError(f"GET {path}: {resp.status} {body}")
            return body

    async def status(self, path: str) -> int:
        assert self.session is not None
        async with self.session.get(self.base + path) as resp:
            await resp.read()
            return resp.status


async def timed(
    name: str, goal_ms: float, count: int, one: Callable[[int], Awaitable[object]], warmup: int = 5
) -> Timing:
    """`count` sequential calls of `one(i)`, after `warmup` untimed ones."""
    for i in range(warmup):
        await one(i)
    samples = []
    for i in range(count):
        started = time.perf_counter()
        await one(i)
        samples.append((time.perf_counter() - started) * 1000)
    return Timing(name, samples, goal_ms)


async def stats_30d(client: Client, ids: list[str], count: int, seed: int) -> Timing:
    rng = random.Random(seed)
    picks = [rng.choice(ids) for _ in range(count + 5)]

    async def one(i: int) -> None:
        await client.get(f"/api/v1/monitors/{picks[i]}/stats?window=30d")

    return await timed("GET stats?window=30d (random monitor)", 100, count, one)


async def summary_page(client: Client, count: int) -> Timing:
    async def one(_: int) -> None:
        page = await client.get("/api/v1/monitors:summary?limit=50")
        assert len(page["items"]) == 50, len(page["items"])

    return await timed("list page: GET monitors:summary?limit=50", 200, count, one)


async def composed_page(client: Client, count: int) -> Timing:
    """The page without the summary: the list, then each monitor's 24h stats, six at a
    time as a browser would fetch them."""
    gate = asyncio.Semaphore(6)

    async def stats(monitor_id: str) -> None:
        async with gate:
            await client.get(f"/api/v1/monitors/{monitor_id}/stats?window=24h")

    async def one(_: int) -> None:
        page = await client.get("/api/v1/monitors?limit=50")
        await asyncio.gather(*(stats(m["id"]) for m in page["items"]))

    return await timed("list page: monitors?limit=50 + 50 x stats 24h", 200, count, one)
