"""The api process: HTTP on api_host:api_port, plus the outbox relay that
publishes the events its writes committed."""

from __future__ import annotations

import contextlib

from aiohttp import web

from services.api.app import build_app
from services.api.state import ApiState
from shared import clickhouse, db, httpd, outbox, service
from shared.aio import supervise

# Requests in flight get this long after a stop signal.
SHUTDOWN_GRACE_S = 10.0


async def main(ctx: service.Context) -> None:
    settings = ctx.settings
    async with contextlib.AsyncExitStack() as cleanup:
        # Callbacks run in reverse: stop serving, then disconnect.
        pool = await db.connect_pool(settings.pg_dsn, settings.pg_pool_max)
        cleanup.push_async_callback(pool.close)
        ch = await clickhouse.connect(settings, database=settings.clickhouse_database)
        cleanup.push_async_callback(ch.close)
        app = build_app(ApiState(settings=settings, pool=pool, nc=ctx.nc, js=ctx.js, ch=ch))
        runner = httpd.Runner(app, access_log=None, shutdown_timeout=SHUTDOWN_GRACE_S)
        await runner.setup()
        cleanup.push_async_callback(runner.cleanup)
        await web.TCPSite(runner, settings.api_host, settings.api_port).start()
        ctx.log.info("api_listening", host=settings.api_host, port=settings.api_port)
        # Without its relay the api would accept changes that never reach the scheduler:
        # a relay that dies stops the process, so a supervisor restarts it whole.
        relay = outbox.run_relay(pool, settings.pg_dsn, ctx.js, ctx.stop, settings.outbox_poll_s)
        await supervise(ctx.stop, relay)


def run() -> None:
    service.run("api", main)
