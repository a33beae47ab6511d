"""The last rendered body of a Prometheus endpoint (/metrics/monitors, /metrics/queues),
remade in the background once it is older than its maximum age.

At 10,000 monitors, reading and rendering takes longer than a scrape should wait,
and Prometheus scrapes the same body from every replica of an HA pair. So a scrape
is answered from the snapshot; a stale one starts one refresh (never two at once)
and is still served meanwhile. Only the first scrape after start waits."""

from __future__ import annotations

import asyncio
import gzip
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from shared.logs import get

log = get("api")


@dataclass(frozen=True)
class Snapshot:
    body: bytes
    gzipped: bytes
    made_at: float

    def age_s(self) -> float:
        return time.monotonic() - self.made_at


def make(text: str) -> Snapshot:
    body = text.encode()
    # Level 1: a tenth of the size for a fraction of the CPU of the default level.
    return Snapshot(body, gzip.compress(body, compresslevel=1), time.monotonic())


class SnapshotCache:
    def __init__(self) -> None:
        self.snapshot: Snapshot | None = None
        self._refresh: asyncio.Task[Snapshot] | None = None

    async def get(self, build: Callable[[], Awaitable[Snapshot]], max_age_s: float) -> Snapshot:
        current = self.snapshot
        if current is not None and current.age_s() < max_age_s:
            return current
        if self._refresh is None or self._refresh.done():
            self._refresh = asyncio.create_task(build())
            self._refresh.add_done_callback(self._keep)
        if current is None or max_age_s <= 0:
            return await asyncio.shield(self._refresh)
        return current

    def _keep(self, task: asyncio.Task[Snapshot]) -> None:
        if task.cancelled():
            return
        if (exc := task.exception()) is not None:
            log.warning("metrics_refresh_failed", error=f"{type(exc).__name__}: {exc}")
            return
        self.snapshot = task.result()
