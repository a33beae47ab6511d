"""Recorder: projects the RESULTS stream into ClickHouse, one insert per fetched batch.

Batches linger (UPMON_RECORDER_LINGER_S) to fill up: every insert writes a part to
the raw table and to each rollup, so many small inserts cost ClickHouse far more CPU
in parts and merges than the rows themselves.

A batch is acked only after ClickHouse accepted the insert; a redelivered
result lands on the same ReplacingMergeTree key and replaces its row.
"""

from __future__ import annotations

import asyncio

from clickhouse_connect.driver.exceptions import OperationalError

from services.recorder import sampler
from services.recorder.rows import COLUMNS, row
from shared import clickhouse, opsamples, runner, service, topology
from shared.events import result_decoder, utcnow
from shared.runner import Envelope, Unavailable


def make_handler(client, table: str, observed: opsamples.Observed | None = None):
    async def handle(batch: list[Envelope]) -> None:
        try:
            await client.insert(table, [row(e.event) for e in batch], column_names=COLUMNS)
        except OperationalError as exc:
            raise Unavailable(f"clickhouse insert failed: {exc}") from exc
        if observed is not None:
            observed.observe((e.event for e in batch), utcnow())

    return handle


async def main(ctx: service.Context) -> None:
    s = ctx.settings
    client = await clickhouse.connect(s, database=s.clickhouse_database)
    # Latencies of what this replica stores, for the operations history.
    observed = opsamples.Observed()
    consumer = runner.Consumer(
        spec=topology.RECORDER,
        decoder=result_decoder,
        batch_handler=make_handler(client, f"{s.clickhouse_database}.check_results", observed),
        batch=10_000,
        fetch_timeout=0.5,
        linger=s.recorder_linger_s,
        max_deliver=s.max_deliver,
        backoff=runner.Backoff(s.backoff_base_s, s.backoff_max_s),
    )
    history = asyncio.create_task(sampler.sample_forever(ctx, s.ops_sample_every_s, observed))
    try:
        await runner.run(ctx.js, consumer, ctx.stop)
    finally:
        ctx.stop.set()
        await asyncio.gather(history, return_exceptions=True)
        await client.close()


def run() -> None:
    service.run("recorder", main)
