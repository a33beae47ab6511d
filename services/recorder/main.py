"""Recorder: projects the RESULTS stream into ClickHouse, one insert per fetched batch.

Batches linger (UPMON_RECORDER_LINGER_S) to fill up: every insert writes a part to
the raw table and to each rollup, so many small inserts cost ClickHouse far more CPU
in parts and merges than the rows themselves.

A batch is acked only after ClickHouse accepted the insert; a redelivered
result lands on the same ReplacingMergeTree key and replaces its row.
"""

from __future__ import annotations

from clickhouse_connect.driver.exceptions import OperationalError

from services.recorder import sampler
from services.recorder.rows import COLUMNS, RUN_COLUMNS, row, run_row
from shared import clickhouse, opsamples, runner, service, topology
from shared.aio import supervise
from shared.events import result_decoder, run_decoder, utcnow
from shared.runner import Envelope, Unavailable


def make_handler(client, table: str, observed: opsamples.Observed | None = None):
    async def handle(batch: list[Envelope]) -> None:
        await _insert(client, table, [row(e.event) for e in batch], COLUMNS)
        if observed is not None:
            observed.observe((e.event for e in batch), utcnow())

    return handle


def make_runs_handler(client, table: str):
    async def handle(batch: list[Envelope]) -> None:
        await _insert(client, table, [run_row(e.event) for e in batch], RUN_COLUMNS)

    return handle


async def _insert(client, table: str, rows: list[list[object]], columns: list[str]) -> None:
    try:
        await client.insert(table, rows, column_names=columns)
    except OperationalError as exc:
        raise Unavailable(f"clickhouse insert failed: {exc}") from exc


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
    # Job runs are few: a short linger keeps a run's row close to its signal.
    runs = runner.Consumer(
        spec=topology.RECORDER_RUNS,
        decoder=run_decoder,
        batch_handler=make_runs_handler(client, f"{s.clickhouse_database}.job_runs"),
        batch=1_000,
        fetch_timeout=0.5,
        linger=min(s.recorder_linger_s, 0.2),
        max_deliver=s.max_deliver,
        backoff=runner.Backoff(s.backoff_base_s, s.backoff_max_s),
    )
    try:
        await supervise(
            ctx.stop,
            runner.run(ctx.js, consumer, ctx.stop),
            runner.run(ctx.js, runs, ctx.stop),
            sampler.sample_forever(ctx, s.ops_sample_every_s, observed),
        )
    finally:
        await client.close()


def run() -> None:
    service.run("recorder", main)
