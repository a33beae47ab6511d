"""Results for the consumer benchmarks: published to RESULTS, then timed until a
durable consumer has acknowledged them all."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from shared import topology
from shared.events import CheckResult, encode


async def publish_results(js, ids: list[str], total: int, flap_every: int) -> None:
    start = datetime.now(UTC) - timedelta(days=1)
    pending = []
    for i in range(total):
        mid = ids[i % len(ids)]
        slot = i // len(ids)
        # Flapping monitors fail 3 slots in 7, so incidents open and resolve all along.
        flapping = i % len(ids) % flap_every == 0
        status = "down" if flapping and slot % 7 in (3, 4, 5) else "up"
        at = start + timedelta(seconds=slot * 60)
        r = CheckResult(
            check_id=f"{mid}:{slot}",
            monitor_id=mid,
            region="default",
            scheduled_at=at,
            checked_at=at,
            status=status,
            latency_ms=12.5,
            http_status=200 if status == "up" else 503,
        )
        pending.append(
            await js.publish_async(
                topology.result_subject("default", mid), encode(r), headers={"Nats-Msg-Id": r.id}
            )
        )
        if len(pending) >= 5000:
            await asyncio.gather(*pending)
            pending = []
    await asyncio.gather(*pending)


async def drained(js, consumer: str, total: int) -> bool:
    info = await js.consumer_info("RESULTS", consumer)
    return info.delivered.stream_seq >= total and info.num_ack_pending == 0


async def time_drain(js, consumer: str, total: int) -> tuple[float, float]:
    """Seconds until `consumer` acked `total` results: from now, and from its first fetch."""
    started = time.perf_counter()
    first = None
    while not await drained(js, consumer, total):
        if first is None and (await js.consumer_info("RESULTS", consumer)).delivered.stream_seq:
            first = time.perf_counter()
        await asyncio.sleep(0.02)
    done = time.perf_counter()
    return done - started, done - (first or started)


async def run_service_until_drained(
    js, service: str, consumer: str, total: int, env: dict[str, str]
) -> tuple[float, float]:
    """Start `service` as its own process with `env`, time the drain, stop it."""
    root = Path(__file__).resolve().parents[2]
    proc = subprocess.Popen(
        [sys.executable, "-m", "cli.main", "service", service],
        cwd=root,
        env={**os.environ, "UPMON_LOG_LEVEL": "warning", **env},
    )
    try:
        return await time_drain(js, consumer, total)
    finally:
        proc.terminate()
        proc.wait(30)
