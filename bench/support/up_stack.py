"""The whole stack as a user runs it: `upmon up` on free ports in a folder of its own,
and the CPU time of each of its processes, grouped by what they are."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import psutil

from stack.parts import free_port, free_port_block
from stack.supervisor import ADMIN_KEY_FILE, SERVICES

UPMON = str(Path(sys.executable).with_name("upmon"))
# The scheduler's /metrics port is the base plus its place in SERVICES, counted from 1.
SCHEDULER_METRICS_OFFSET = SERVICES.index("scheduler") + 1


class UpStack:
    def __init__(
        self,
        workdir: Path,
        env: dict[str, str] | None = None,
        nats_nodes: int = 1,
        replicas: tuple[str, ...] = (),
    ) -> None:
        self.workdir = workdir
        self.api_port = free_port()
        self.replicas = replicas
        extra = sum(int(r.partition("=")[2]) - 1 for r in replicas)
        self.metrics_base = free_port_block(len(SERVICES) - 1 + extra)
        self.ports = {
            "--api-port": self.api_port,
            "--nats-port": free_port_block(nats_nodes - 1) if nats_nodes > 1 else free_port(),
            "--postgres-port": free_port(),
            "--clickhouse-port": free_port(),
            "--metrics-port-base": self.metrics_base,
        }
        if nats_nodes > 1:
            # A JetStream cluster on loopback, every stream at R3.
            self.ports["--nats-nodes"] = nats_nodes
            self.ports["--nats-cluster-port"] = free_port_block(nats_nodes - 1)
            self.ports["--nats-monitor-port"] = free_port_block(nats_nodes - 1)
        self.env = env or {}
        self.proc: subprocess.Popen[bytes] | None = None
        self.log = workdir / "upmon-up.log"

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.api_port}"

    @property
    def scheduler_metrics_url(self) -> str:
        return f"http://127.0.0.1:{self.metrics_base + SCHEDULER_METRICS_OFFSET}/metrics"

    @property
    def nats_monitor_urls(self) -> list[str]:
        """Each cluster node's monitoring endpoint (none for a single server)."""
        base = self.ports.get("--nats-monitor-port")
        nodes = self.ports.get("--nats-nodes", 1)
        return [f"http://127.0.0.1:{base + i}" for i in range(nodes)] if base else []

    @property
    def clickhouse_url(self) -> str:
        return f"http://127.0.0.1:{self.ports['--clickhouse-port']}"

    def admin_key(self) -> str:
        return (self.workdir / "data" / ADMIN_KEY_FILE).read_text().strip()

    async def start(self, timeout_s: float = 120.0) -> float:
        """Starts `upmon up`; returns the seconds until it said it is ready."""
        argv = [UPMON, "--data-dir", str(self.workdir / "data"), "up", "--log-level", "warning"]
        argv += [str(a) for pair in self.ports.items() for a in pair]
        argv += [a for r in self.replicas for a in ("--replicas", r)]
        env = {k: v for k, v in os.environ.items() if not k.startswith("UPMON_")}
        env.update(self.env)
        started = time.monotonic()
        with self.log.open("wb") as out:
            self.proc = subprocess.Popen(
                argv, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
            )
        while b"press Ctrl-C" not in self.log.read_bytes():
            if self.proc.poll() is not None:
                raise RuntimeError(f"upmon up exited early:\n{self.tail()}")
            if time.monotonic() - started > timeout_s:
                raise RuntimeError(f"upmon up is not ready after {timeout_s:.0f}s:\n{self.tail()}")
            await asyncio.sleep(0.1)
        return time.monotonic() - started

    def upmon(self, *args: str) -> subprocess.CompletedProcess[str]:
        """An `upmon` command against this stack, as a user beside it would run one."""
        argv = [UPMON, "--data-dir", str(self.workdir / "data"), *args]
        env = {k: v for k, v in os.environ.items() if not k.startswith("UPMON_")}
        return subprocess.run(argv, env=env, capture_output=True, text=True, timeout=300)

    def tail(self, chars: int = 3000) -> str:
        return self.log.read_text(errors="replace")[-chars:]

    def restarts(self) -> list[str]:
        """Lines in which the supervisor said that a service died."""
        return [line for line in self.tail(10**7).splitlines() if "exited with" in line]

    def pids(self) -> dict[str, int]:
        """Every process of the stack by group (the first replica of a service)."""
        assert self.proc is not None
        root = psutil.Process(self.proc.pid)
        found = {}
        for proc in root.children(recursive=True):
            try:
                found.setdefault(_group(proc.cmdline(), proc.name()), proc.pid)
            except psutil.Error:
                continue
        return found

    def cpu_seconds(self) -> Counter[str]:
        """CPU seconds so far of every process of the stack, by group (service or part)."""
        assert self.proc is not None
        root = psutil.Process(self.proc.pid)
        spent: Counter[str] = Counter()
        for proc in [root, *root.children(recursive=True)]:
            try:
                times = proc.cpu_times()
                group = _group(proc.cmdline(), proc.name())
            except psutil.Error:
                continue
            # Children's times count reaped children (short-lived Postgres backends).
            spent[group] += times.user + times.system + times.children_user + times.children_system
        return spent

    def nats_node_cpu(self) -> dict[str, float]:
        """CPU seconds so far of each NATS cluster node, by server name (none for one server)."""
        assert self.proc is not None
        spent: dict[str, float] = {}
        for proc in psutil.Process(self.proc.pid).children(recursive=True):
            try:
                argv, times = proc.cmdline(), proc.cpu_times()
            except psutil.Error:
                continue
            if "--server_name" in argv and "nats-server" in proc.name():
                spent[argv[argv.index("--server_name") + 1]] = times.user + times.system
        return spent

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(60)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()


def _group(cmdline: list[str], name: str) -> str:
    if "service" in cmdline:
        return cmdline[cmdline.index("service") + 1]
    if "up" in cmdline and any(part.endswith("upmon") for part in cmdline[:2]):
        return "supervisor"
    for part in ("nats-server", "postgres", "clickhouse"):
        if part in name or any(part in arg for arg in cmdline[:3]):
            return part
    return name
