"""The executor's check logic alone: Checker.run in this process, no NATS, no runner.

Beside the raw protocol loop it shows what the check itself costs (client, timing,
egress, judging); the executor's figure minus this one is its bus and runner work.
"""

from __future__ import annotations

import asyncio
import itertools
import time
from collections import Counter
from datetime import UTC, datetime

from shared.kinds.http import HttpSpec
from shared.monitors import Monitor
from shared.probes import Checker

from .bare import Result


def monitor(url: str, now: datetime) -> Monitor:
    # As the pipeline's due checks are: HTTPS targets have a throwaway certificate.
    spec = HttpSpec(verify_tls=not url.startswith("https"))
    return Monitor(
        id="bench", name="bench", kind="http", target=url, timeout_s=30, http=spec,
        created_at=now, updated_at=now,
    )  # fmt: skip


async def run(urls: list[str], count: int, concurrency: int) -> Result:
    """Same contract as support.bare.run, through the executor's Checker."""
    ended: Counter[str] = Counter()
    numbers = itertools.count()
    now = datetime.now(UTC)
    monitors = [monitor(url, now) for url in urls]
    async with Checker() as checker:

        async def worker() -> None:
            while (i := next(numbers)) < count:
                outcome = await checker.run(monitors[i % len(monitors)])
                ended[outcome.status] += 1

        started, cpu = time.perf_counter(), time.process_time()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        return Result(time.perf_counter() - started, time.process_time() - cpu, ended)
