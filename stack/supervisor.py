"""`upmon up`: the whole stack on embedded parts, supervised in one foreground process.

Order matters both ways: parts (NATS, Postgres, ClickHouse) start first and stop
last; services start after migrations and stop first, so they drain against
live parts. A service that dies is restarted with backoff.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from shared.aio import sleep_or_stop
from stack.parts import (
    ClickHouseServer,
    LeafNode,
    NatsCluster,
    NatsServer,
    PartError,
    PostgresServer,
    ensure_port_free,
)

SERVICES = ("scheduler", "executor", "recorder", "notifier", "api")
STACK_FILE = "stack.env"
HUB_DOMAIN = "hub"
ADMIN_KEY_FILE = "admin.key"
# The key that seals secrets, generated on first start; UPMON_SECRET_KEY overrides it.
SECRET_KEY_FILE = "secret.key"


@dataclass
class Ports:
    api: int = 8080
    nats: int = 4222
    postgres: int = 55432
    clickhouse: int = 8123
    # Service n's /metrics listens on metrics_base + n (the api serves its own).
    metrics_base: int = 9100
    # More than one: an embedded JetStream cluster. Node i (from 0) serves clients on
    # nats + i, routes on nats_cluster + i and monitoring on nats_monitor + i; unset,
    # those two follow NATS' own convention of 6222 and 8222 beside 4222.
    nats_nodes: int = 1
    nats_cluster: int | None = None
    nats_monitor: int | None = None
    # Remote regions, each a leaf node (client port leaf + i) with its own executor; the
    # hub takes leaf connections on nats_leafnode (+ i per node; NATS' 7422 beside 4222).
    leaf_regions: tuple[str, ...] = ()
    leaf: int | None = None
    nats_leafnode: int | None = None
    # Replicas per service beyond the first, as (service, count): they share the
    # service's durable consumers and leases as replicas do anywhere.
    replicas: tuple[tuple[str, int], ...] = ()

    def leaf_ports(self) -> list[int]:
        base = self.leaf if self.leaf is not None else self.nats + 100
        return [base + i for i in range(len(self.leaf_regions))]

    def hub_leafnode_ports(self) -> list[int]:
        if not self.leaf_regions:
            return []
        base = self.nats_leafnode if self.nats_leafnode is not None else self.nats + 3200
        return [base + i for i in range(self.nats_nodes)]

    def nats_client_ports(self) -> list[int]:
        return [self.nats + i for i in range(self.nats_nodes)]

    def nats_cluster_ports(self) -> list[int]:
        base = self.nats_cluster if self.nats_cluster is not None else self.nats + 2000
        return [base + i for i in range(self.nats_nodes)]

    def nats_monitor_ports(self) -> list[int]:
        base = self.nats_monitor if self.nats_monitor is not None else self.nats + 4000
        return [base + i for i in range(self.nats_nodes)]

    def named(self) -> dict[str, int]:
        ports = {"api": self.api, "postgres": self.postgres, "clickhouse": self.clickhouse}
        if self.nats_nodes == 1:
            ports["nats"] = self.nats
        else:
            nodes = zip(
                self.nats_client_ports(),
                self.nats_cluster_ports(),
                self.nats_monitor_ports(),
                strict=True,
            )
            for i, (client, route, monitor) in enumerate(nodes, start=1):
                ports[f"nats-{i}"] = client
                ports[f"nats-{i} cluster"] = route
                ports[f"nats-{i} monitoring"] = monitor
        for i, port in enumerate(self.hub_leafnode_ports(), start=1):
            ports[f"nats leafnode {i}"] = port
        for region, port in zip(self.leaf_regions, self.leaf_ports(), strict=True):
            ports[f"leaf {region}"] = port
        for i, name in enumerate(self.service_names()[:-1], start=1):
            ports[f"{name} metrics"] = self.metrics_base + i
        return ports

    def service_names(self) -> list[str]:
        """Each service with its replicas (`scheduler`, `scheduler.2`), then an executor
        per leaf region; the api last (no metrics port of its own: it serves /metrics
        beside the API)."""
        counts = dict(self.replicas)
        names = [
            name if n == 1 else f"{name}.{n}"
            for name in SERVICES[:-1]
            for n in range(1, counts.get(name, 1) + 1)
        ]
        leaves = [f"executor-{region}" for region in self.leaf_regions]
        return [*names, *leaves, SERVICES[-1]]


@dataclass
class Stack:
    data_dir: Path
    ports: Ports = field(default_factory=Ports)
    log_level: str = "info"

    def __post_init__(self) -> None:
        self.data_dir = self.data_dir.absolute()
        self.nats: NatsServer | NatsCluster
        leafnode = self.ports.hub_leafnode_ports()
        # Clients behind a leaf node address the hub's JetStream by its domain.
        domain = HUB_DOMAIN if leafnode else ""
        if self.ports.nats_nodes > 1:
            self.nats = NatsCluster(
                self.data_dir,
                self.ports.nats_client_ports(),
                self.ports.nats_cluster_ports(),
                self.ports.nats_monitor_ports(),
                leafnode_ports=leafnode or None,
                domain=domain,
            )
        else:
            self.nats = NatsServer(
                self.data_dir,
                self.ports.nats,
                leafnode_port=leafnode[0] if leafnode else None,
                domain=domain,
            )
        hubs = [f"nats-leaf://127.0.0.1:{port}" for port in leafnode]
        self.leaves = [
            LeafNode(self.data_dir, port, region, hubs)
            for region, port in zip(self.ports.leaf_regions, self.ports.leaf_ports(), strict=True)
        ]
        self.postgres = PostgresServer(self.data_dir, self.ports.postgres, database="upmon")
        self.clickhouse = ClickHouseServer(self.data_dir, self.ports.clickhouse)

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.ports.api}"

    def env(self) -> dict[str, str]:
        """The UPMON_* settings every service and CLI command of this stack uses."""
        return {
            "UPMON_NATS_URL": self.nats.url,
            # Three copies on a cluster: any one node may go down.
            "UPMON_NATS_REPLICAS": str(min(3, self.ports.nats_nodes)),
            "UPMON_PG_DSN": self.postgres.dsn("upmon"),
            "UPMON_CLICKHOUSE_URL": self.clickhouse.url,
            "UPMON_API_HOST": "127.0.0.1",
            "UPMON_API_PORT": str(self.ports.api),
            "UPMON_PUBLIC_URL": self.api_url,
            "UPMON_SECRET_KEY": self.secret_key(),
            # Old keys during a rotation, so CLI commands of this stack see them too.
            **{k: v for k, v in os.environ.items() if k == "UPMON_SECRET_KEY_OLD" and v},
            # Every listener of this stack, so no monitor or channel can reach one.
            "UPMON_EGRESS_OWN": ",".join(f"127.0.0.1:{p}" for p in self.ports.named().values()),
        }

    def secret_key(self) -> str:
        given = os.environ.get("UPMON_SECRET_KEY")
        if given:
            return given
        path = self.data_dir / SECRET_KEY_FILE
        if not path.exists():
            from shared.sealing import generate_key

            path.parent.mkdir(parents=True, exist_ok=True)
            # Created private: the key must never be readable by other users.
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as out:
                out.write(generate_key() + "\n")
        return path.read_text().strip()

    def check_ports(self) -> None:
        for name, port in self.ports.named().items():
            ensure_port_free(port, name)

    def start_parts(self) -> None:
        for part in (self.nats, *self.leaves, self.postgres, self.clickhouse):
            part.start()

    def stop_parts(self) -> None:
        for part in (self.clickhouse, self.postgres, *self.leaves, self.nats):
            with contextlib.suppress(Exception):
                part.stop()

    def write_stack_file(self) -> None:
        lines = [f"{k}={v}" for k, v in self.env().items()] + [f"UPMON_STACK_PID={os.getpid()}"]
        path = self.data_dir / STACK_FILE
        # It carries the secret key, so CLI commands of this stack can open secrets.
        path.touch(mode=0o600, exist_ok=True)
        path.chmod(0o600)
        path.write_text("\n".join(lines) + "\n")

    def service_env(self, index: int, name: str) -> dict[str, str]:
        env = {**os.environ, **self.env(), "UPMON_LOG_LEVEL": self.log_level}
        if name != "api":
            env["UPMON_METRICS_PORT"] = str(self.ports.metrics_base + index)
        for leaf in self.leaves:
            if name == f"executor-{leaf.region}":
                # A remote region's executor talks to its leaf node only, as at a site.
                env["UPMON_NATS_URL"] = leaf.url
                env["UPMON_REGION"] = leaf.region
                env["UPMON_NATS_DOMAIN"] = HUB_DOMAIN
        return env


def read_stack_file(data_dir: Path) -> dict[str, str]:
    """The settings of a stack started by `upmon up` in this data dir, if any."""
    path = data_dir / STACK_FILE
    if not path.exists():
        return {}
    pairs = (line.split("=", 1) for line in path.read_text().splitlines() if "=" in line)
    return {k: v for k, v in pairs}


def running_pid(data_dir: Path) -> int | None:
    pid = read_stack_file(data_dir).get("UPMON_STACK_PID")
    if not pid or not pid.isdigit():
        return None
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return None
    except PermissionError:
        pass
    return int(pid)


def service_of(name: str) -> str:
    """The service a supervised name runs: executor-<region> (a leaf region's executor)
    and executor.2 (a second replica) are executors."""
    return name.split("-", 1)[0].split(".", 1)[0]


class Supervised:
    """One service subprocess, restarted with backoff whenever it dies."""

    def __init__(self, name: str, env: dict[str, str], say) -> None:
        self.name = name
        self.env = env
        self.say = say
        self.proc: asyncio.subprocess.Process | None = None
        self.restarts = 0

    async def run(self, stop: asyncio.Event) -> None:
        delay = 1.0
        while not stop.is_set():
            started = time.monotonic()
            self.proc = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "cli.main",
                "service",
                service_of(self.name),
                env=self.env,
                # Own session: Ctrl-C reaches the supervisor only, which stops us in order.
                start_new_session=True,
            )
            code = await self.proc.wait()
            if stop.is_set():
                return
            delay = 1.0 if time.monotonic() - started > 60 else min(delay * 2, 30.0)
            self.restarts += 1
            self.say(f"service {self.name} exited with {code}; restarting in {delay:.0f}s")
            await sleep_or_stop(stop, delay)

    async def terminate(self, timeout: float = 20.0) -> None:
        proc = self.proc
        if proc is None or proc.returncode is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            proc.send_signal(signal.SIGTERM)
        try:
            await asyncio.wait_for(proc.wait(), timeout)
        except TimeoutError:
            with contextlib.suppress(ProcessLookupError):
                proc.kill()
            await proc.wait()


async def supervise(stack: Stack, say, on_ready) -> None:
    """Run services until SIGINT/SIGTERM; parts must be up and migrated already."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    services = [
        Supervised(name, stack.service_env(i, name), say)
        for i, name in enumerate(stack.ports.service_names(), start=1)
    ]
    runs = [asyncio.create_task(s.run(stop)) for s in services]
    ready = asyncio.create_task(_wait_ready(stack.api_url, stop))
    with contextlib.suppress(asyncio.CancelledError):
        if await ready:
            await on_ready()
    await stop.wait()
    say("stopping services")
    await asyncio.gather(*(s.terminate() for s in services))
    for task in runs:
        task.cancel()
    await asyncio.gather(*runs, return_exceptions=True)


async def _wait_ready(api_url: str, stop: asyncio.Event, timeout: float = 60.0) -> bool:
    import aiohttp

    deadline = time.monotonic() + timeout
    async with aiohttp.ClientSession() as session:
        while not stop.is_set() and time.monotonic() < deadline:
            with contextlib.suppress(aiohttp.ClientError, TimeoutError):
                async with session.get(f"{api_url}/readyz", timeout=aiohttp.ClientTimeout(2)) as r:
                    if r.status == 200:
                        return True
            await asyncio.sleep(0.2)
    return False


__all__ = ["PartError", "Ports", "Stack", "read_stack_file", "running_pid", "supervise"]
