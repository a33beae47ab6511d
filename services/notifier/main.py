"""Notifier: three consumers in one process,

- state: RESULTS -> monitor_state and incidents (Postgres), events via the outbox;
- dispatch: INCIDENTS -> one NOTIFY message per channel;
- deliver: NOTIFY -> the channel's provider, with retries and dead letters;

and the answers to the api's requests: channel tests and manual incident changes.
"""

from __future__ import annotations

import asyncpg

from services.notifier import anomalies, commands, sweeper
from services.notifier.delivery import Deliverer, Dispatcher
from services.notifier.incidents import apply_batch
from services.notifier.providers import channel_test
from services.notifier.providers.connector import session as egress_session
from shared import anomaly_data, clickhouse, db, egress, outbox, runner, service, topology
from shared.aio import supervise
from shared.channels.base import SendContext
from shared.events import delivery_decoder, incident_decoder, result_decoder
from shared.maintenance import Windows
from shared.runner import Envelope
from shared.sealing import Keyring


def state_handler(pool: asyncpg.Pool, windows: Windows):
    async def handle(batch: list[Envelope]) -> None:
        with runner.postgres_outage():
            async with pool.acquire() as conn, conn.transaction():
                await apply_batch(conn, [e.event for e in batch], await windows.get(conn))

    return handle


async def main(ctx: service.Context) -> None:
    s = ctx.settings
    keyring = Keyring.from_settings(s)
    pool = await db.connect_pool(s.pg_dsn, s.pg_pool_max)
    backoff = runner.Backoff(s.backoff_base_s, s.backoff_max_s)
    windows = Windows()
    session = egress_session(egress.from_settings(s))
    consumers = [
        runner.Consumer(
            spec=topology.NOTIFIER_STATE,
            decoder=result_decoder,
            batch_handler=state_handler(pool, windows),
            batch=500,
            fetch_timeout=0.5,
            linger=s.notifier_linger_s,
            max_deliver=s.max_deliver,
            backoff=backoff,
        ),
        runner.Consumer(
            spec=topology.NOTIFIER_DISPATCH,
            decoder=incident_decoder,
            handler=Dispatcher(pool, ctx.js).handle,
            concurrency=20,
            max_deliver=s.max_deliver,
            backoff=backoff,
        ),
        runner.Consumer(
            spec=topology.NOTIFIER_DELIVER,
            decoder=delivery_decoder,
            handler=Deliverer(pool, session, s.webhook_timeout_s, s.public_url, keyring).handle,
            concurrency=50,
            max_deliver=s.max_deliver,
            backoff=backoff,
        ),
    ]
    send_ctx = SendContext(timeout_s=s.webhook_timeout_s, public_url=s.public_url, keyring=keyring)
    try:
        await supervise(
            ctx.stop,
            *(runner.run(ctx.js, c, ctx.stop) for c in consumers),
            outbox.run_relay(pool, s.pg_dsn, ctx.js, ctx.stop, s.outbox_poll_s),
            sweeper.run(pool, windows, ctx.stop, s.sweep_every_s),
            anomalies.run(
                pool,
                lambda: clickhouse.connect(s, database=s.clickhouse_database, retries=1),
                s.clickhouse_database,
                anomaly_data.spans_of(s, 1),
                windows,
                ctx.stop,
            ),
            channel_test.serve(ctx.nc, pool, session, send_ctx, ctx.stop),
            commands.serve(ctx.nc, pool, ctx.stop),
        )
    finally:
        await session.close()
        await pool.close()


def run() -> None:
    service.run("notifier", main)
