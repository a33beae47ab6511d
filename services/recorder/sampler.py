"""The one writer of operations history: every 10 s, a snapshot of every stream,
consumer and replica goes to ClickHouse's ops_samples (see shared/opsamples.py).

The streams and consumers are sampled by one recorder replica at a time, the holder
of a lease (shared/lease.py), so running more replicas repeats no work; each replica
adds the latencies it observed itself. Rows share a key per 10 s bucket, so even a
handover in mid-bucket stores one. History is a view, not an event stream: a sample
that cannot be written is logged and skipped, never retried."""

from __future__ import annotations

import time

from shared import clickhouse, opsamples, service
from shared.aio import sleep_or_stop
from shared.lease import Lease
from shared.topology import SAMPLER_BUCKET

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
    lease = Lease(await ctx.js.key_value(SAMPLER_BUCKET), "sampler", s.replica_id)
    prev = None
    try:
        while not ctx.stop.is_set():
            if await sleep_or_stop(ctx.stop, _until_next(time.time(), every_s)):
                return
            try:
                now = time.time()
                rows: list[opsamples.Row] = []
                if await lease.hold():
                    snap = await opsamples.take(ctx.js, now)
                    rows = opsamples.rows(prev, snap)
                    prev = snap
                else:
                    prev = None  # rates restart from this replica's next own sample
                if observed is not None:
                    rows += observed.drain(now, s.replica_id)
                if rows:
                    await client.insert(table, rows, column_names=COLUMNS)
            except Exception as exc:  # a failed sample leaves a gap, nothing more
                ctx.log.warning("ops_sample_failed", error=repr(exc))
    finally:
        await lease.release()
        await client.close()


def _until_next(now: float, every_s: float) -> float:
    return every_s - (now % every_s) + OFFSET_S if every_s >= 5 else every_s
