"""The api process: HTTP on api_host:api_port, plus the outbox relay that
publishes the events its writes committed."""

from __future__ import annotations

import asyncio
import contextlib

from aiohttp import web

from services.api.app import build_app
from services.api.state import ApiState
from shared import clickhouse, db, httpd, outbox, service

# Requests in flight, and the relay's last batch, get this long after a stop signal.
SHUTDOWN_GRACE_S = 10.0


def _start_relay(ctx: service.Context, pool) -> asyncio.Task:
    settings = ctx.settings
    relay = asyncio.create_task(
        outbox.run_relay(pool, settings.pg_dsn, ctx.js, ctx.stop, settings.outbox_poll_s)
    )

    def died(task: asyncio.Task) -> None:
        # Without its relay the api would accept changes that never reach the
        # scheduler: stop the process, so a supervisor restarts it whole.
        if not task.cancelled() and not ctx.stop.is_set():
            ctx.log.error("outbox_relay_died", error=repr(task.exception()))
            ctx.stop.set()

    relay.add_done_callback(died)
    return relay


async def _finish(ctx: service.Context, relay: asyncio.Task) -> None:
    ctx.stop.set()
    with contextlib.suppress(Exception):
        await asyncio.wait_for(relay, SHUTDOWN_GRACE_S)


async def main(ctx: service.Context) -> None:
    settings = ctx.settings
    async with contextlib.AsyncExitStack() as cleanup:
        # Callbacks run in reverse: stop serving, let the relay finish, then disconnect.
        pool = await db.connect_pool(settings.pg_dsn, settings.pg_pool_max)
        cleanup.push_async_callback(pool.close)
        ch = await clickhouse.connect(settings, database=settings.clickhouse_database)
        cleanup.push_async_callback(ch.close)
        cleanup.push_async_callback(_finish, ctx, _start_relay(ctx, pool))
        app = build_app(ApiState(settings=settings, pool=pool, nc=ctx.nc, js=ctx.js, ch=ch))
        runner = httpd.Runner(app, access_log=None, shutdown_timeout=SHUTDOWN_GRACE_S)
        await runner.setup()
        cleanup.push_async_callback(runner.cleanup)
        await web.TCPSite(runner, settings.api_host, settings.api_port).start()
        ctx.log.info("api_listening", host=settings.api_host, port=settings.api_port)
        await ctx.stop.wait()


def run() -> None:
    service.run("api", main)
