"""What every service process does around its own logic: configuration, logs,
NATS connection, topology, /metrics, a liveness record, and a graceful stop on
SIGTERM or SIGINT."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import signal
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from nats.aio.client import Client
from nats.js import JetStreamContext

from shared import bus, config, liveness, logs, metrics, topology


@dataclass
class Context:
    name: str
    settings: config.Settings
    nc: Client
    js: JetStreamContext
    stop: asyncio.Event
    log: logs.structlog.typing.FilteringBoundLogger
    # Shown in this replica's liveness record (e.g. the scheduler's partitions).
    info: dict[str, str] = field(default_factory=dict)


Main = Callable[[Context], Awaitable[None]]


async def serve(name: str, main: Main, settings: config.Settings | None = None) -> None:
    """Run `main` until SIGTERM/SIGINT sets ctx.stop, then let it drain and disconnect."""
    settings = settings or config.load()
    logs.configure(
        settings.log_format, settings.log_level, service=name, replica=settings.replica_id
    )
    log = logs.get(name)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    nc = await bus.connect(settings, name=f"{name}:{settings.replica_id}")
    js = bus.jetstream(nc, settings.nats_publish_deadline_s, settings.nats_domain)
    await topology.ensure(js, settings)
    metrics_runner = await metrics.serve(settings.metrics_host, settings.metrics_port)
    metrics.UP.labels(name).set(1)
    ctx = Context(name, settings, nc, js, stop, log)
    beat = asyncio.create_task(
        liveness.heartbeat(
            js, name, settings.replica_id, stop, info=ctx.info, link=lambda: bus.link_state(nc)
        )
    )
    log.info("service_started", nats=bus.server_of(nc), replicas=settings.nats_replicas)
    try:
        await main(ctx)
    finally:
        stop.set()
        with contextlib.suppress(Exception):
            await asyncio.wait_for(beat, 5)
        if metrics_runner is not None:
            await metrics_runner.cleanup()
        # Consumers have finished and acked by now: flush what is buffered and close.
        # (drain() would wait out its timeout on the idle pull subscriptions.)
        with contextlib.suppress(Exception):
            await nc.flush(timeout=5)
        with contextlib.suppress(Exception):
            await nc.close()
        log.info("service_stopped")


def run(name: str, main: Main) -> None:
    """Process entry point: uvloop when available.

    Modules and settings loaded at start live as long as the process: freezing
    them out of the cyclic collector, and collecting less often, takes full
    collections (measured at tens of microseconds per check) off the hot path."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(10_000, 50, 100)
    # Only the import may fail over to asyncio: an ImportError raised by the service
    # itself must not start it a second time.
    try:
        import uvloop
    except ImportError:
        asyncio.run(serve(name, main))
    else:
        uvloop.run(serve(name, main))
