"""The one writer of operations history: every 10 s, a snapshot of every stream,
consumer and replica goes to ClickHouse's ops_samples (see shared/opsamples.py).

Every recorder replica samples, at the start of the same 10 s buckets; their rows
share a key, so the table keeps one per bucket. History is a view, not an event
stream: a sample that cannot be written is logged and skipped, never retried."""

from __future__ import annotations

import asyncio
import contextlib
import time

from shared import clickhouse, opsamples, service

COLUMNS = ["at", "metric", "stream", "consumer", "value"]
# Past the bucket's start, so that replicas whose clocks differ a little agree on it.
OFFSET_S = 1.0


async def sample_forever(
    ctx: service.Context,
    every_s: float = opsamples.EVERY_S,
    observed: opsamples.Observed | None = None,
) -> None:
    s = ctx.settings
    # A client of its own: the consumer's inserts and these must not share a session.
    client = await clickhouse.connect(s, database=s.clickhouse_database)
    table = f"{s.clickhouse_database}.{opsamples.TABLE}"
    prev = None
    try:
        while not ctx.stop.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(ctx.stop.wait(), _until_next(time.time(), every_s))
            if ctx.stop.is_set():
                return
            try:
                snap = await opsamples.take(ctx.js, time.time())
                rows = opsamples.rows(prev, snap)
                if observed is not None:
                    rows += observed.drain(snap.at, s.replica_id)
                await client.insert(table, rows, column_names=COLUMNS)
                prev = snap
            except Exception as exc:  # a failed sample leaves a gap, nothing more
                ctx.log.warning("ops_sample_failed", error=repr(exc))
    finally:
        await client.close()


def _until_next(now: float, every_s: float) -> float:
    return every_s - (now % every_s) + OFFSET_S if every_s >= 5 else every_s
