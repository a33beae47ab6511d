"""`upmon up`: start the parts, migrate, provision, create the first admin key,
then supervise every service until Ctrl-C or SIGTERM."""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import time
from pathlib import Path

from cli.main import CliError, data_dir
from shared import bus, clickhouse, config, db, topology
from stack.parts import NatsCluster, PartError
from stack.supervisor import ADMIN_KEY_FILE, Ports, Stack, running_pid, supervise


def say(message: str) -> None:
    print(f"upmon: {message}", flush=True)


def up(args: argparse.Namespace) -> None:
    started = time.monotonic()
    root = data_dir(args)
    root.mkdir(parents=True, exist_ok=True)
    pid = running_pid(root)
    if pid is not None and pid != os.getpid():
        raise CliError(f"a stack is already running from {root} (pid {pid})")
    ports = Ports(
        api=args.api_port,
        nats=args.nats_port,
        postgres=args.postgres_port,
        clickhouse=args.clickhouse_port,
        metrics_base=args.metrics_port_base,
        nats_nodes=args.nats_nodes,
        nats_cluster=args.nats_cluster_port,
        nats_monitor=args.nats_monitor_port,
        leaf_regions=tuple(dict.fromkeys(args.leaf or [])),
        leaf=args.leaf_port,
        nats_leafnode=args.nats_leafnode_port,
        replicas=tuple(args.replicas or ()),
    )
    outside = [f"{name} {port}" for name, port in ports.named().items() if not 0 < port < 65536]
    if outside:
        raise CliError(f"ports out of range: {', '.join(outside)}")
    stack = Stack(root, ports, log_level=args.log_level)
    try:
        stack.check_ports()
    except PartError as exc:
        raise CliError(f"{exc} (choose another port with the matching --*-port flag)") from None
    try:
        _start(stack)
        settings = config.load({**os.environ, **stack.env()})
        key = asyncio.run(_prepare(settings, root))
        stack.write_stack_file()
        asyncio.run(supervise(stack, say, lambda: _ready(stack, key, started)))
    except PartError as exc:
        raise CliError(str(exc)) from None
    finally:
        say("stopping parts")
        stack.stop_parts()
        say("stopped")


def _start(stack: Stack) -> None:
    say(f"starting parts in {stack.data_dir}")
    stack.start_parts()
    if isinstance(stack.nats, NatsCluster):
        ports = stack.ports
        nodes = zip(
            ports.nats_client_ports(),
            ports.nats_cluster_ports(),
            ports.nats_monitor_ports(),
            strict=True,
        )
        for i, (client, route, monitor) in enumerate(nodes, start=1):
            say(f"nats-{i}: client {client}  cluster {route}  monitoring {monitor}")
        say(f"nats cluster of {ports.nats_nodes}, every stream at R{min(3, ports.nats_nodes)}")
    for port in stack.ports.hub_leafnode_ports():
        say(f"nats leafnode port {port} (JetStream domain hub)")
    for leaf in stack.leaves:
        say(f"leaf node for region {leaf.region}: client {leaf.port}, its executor connects there")
    say(f"nats {stack.nats.url}  postgres {stack.postgres.url}  clickhouse {stack.clickhouse.url}")


async def _prepare(settings: config.Settings, root: Path) -> str | None:
    """Migrations, topology and, on first start only, an admin API key."""
    await db.migrate(settings.pg_dsn, settings)
    await clickhouse.migrate(settings)
    nc = await bus.connect(settings, name="upmon-up")
    try:
        await topology.ensure(bus.jetstream(nc), settings)
    finally:
        await nc.close()
    return await _first_admin_key(settings, root)


async def _first_admin_key(settings: config.Settings, root: Path) -> str | None:
    import asyncpg

    from services.api.keys import create_api_key
    from services.api.stores.keys import API_KEYS

    conn = await asyncpg.connect(settings.pg_dsn)
    try:
        if await API_KEYS.exists_any(conn):
            return None
        key = (await create_api_key(conn, "admin (created by upmon up)", "admin")).key
    finally:
        await conn.close()
    path = root / ADMIN_KEY_FILE
    path.write_text(key + "\n")
    path.chmod(0o600)
    return key


async def _ready(stack: Stack, key: str | None, started: float) -> None:
    took = time.monotonic() - started
    say(f"ready in {took:.1f}s: API {stack.api_url}  (docs {stack.api_url}/docs)")
    if key:
        say(f"admin API key (shown once, also saved to {stack.data_dir / ADMIN_KEY_FILE}):")
        print(f"    {key}", flush=True)
        say(f'try: curl -H "Authorization: Bearer {key}" {stack.api_url}/api/v1/monitors')
    say("press Ctrl-C to stop")
    sys.stdout.flush()
