"""Starts the target farm processes and reads their load counters."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp

from stack.parts import free_port

FARM = Path(__file__).with_name("farm.py")
# Ports per scheme and process: fresh connections to one port would soon exhaust the
# ephemeral ports towards it, each closed one waiting out TIME_WAIT.
PORTS = 4


@dataclass
class Farm:
    http_ports: list[int] = field(default_factory=list)
    https_ports: list[int] = field(default_factory=list)
    procs: list[subprocess.Popen[bytes]] = field(default_factory=list)

    def urls(self, scheme: str, path: str) -> list[str]:
        ports = self.http_ports if scheme == "http" else self.https_ports
        # IP literals: neither the executor nor the bare loop looks a name up, so both do the
        # same network work (the executor never caches a lookup; aiohttp by default does).
        return [f"{scheme}://127.0.0.1:{port}{path}" for port in ports]

    async def in_flight(self, session: aiohttp.ClientSession) -> int:
        """Requests the targets are answering right now."""
        total = 0
        for port in self.http_ports[::PORTS]:
            async with session.get(f"http://127.0.0.1:{port}/stats") as response:
                total += (await response.json())["active"]
        return total

    async def watch_in_flight(self, peak: list[int]) -> None:
        """Keeps the most requests seen open at once in peak[0], until cancelled."""
        async with aiohttp.ClientSession() as session:
            while True:
                peak[0] = max(peak[0], await self.in_flight(session))
                await asyncio.sleep(0.05)

    async def set_down(self, session: aiohttp.ClientSession, name: str, down: bool) -> None:
        """Takes `/svc/{name}` down (or brings it back) in every farm process."""
        method = "POST" if down else "DELETE"
        for port in self.http_ports[::PORTS]:
            url = f"http://127.0.0.1:{port}/down/{name}"
            async with session.request(method, url) as response:
                response.raise_for_status()

    def stop(self) -> None:
        for proc in self.procs:
            proc.terminate()
        for proc in self.procs:
            try:
                proc.wait(5)
            except subprocess.TimeoutExpired:
                proc.kill()


def start(processes: int, cert: Path, key: Path) -> Farm:
    farm = Farm()
    try:
        for _ in range(processes):
            _start_one(farm, cert, key)
    except BaseException:
        farm.stop()
        raise
    return farm


def _start_one(farm: Farm, cert: Path, key: Path) -> None:
    http_ports = [free_port() for _ in range(PORTS)]
    https_ports = [free_port() for _ in range(PORTS)]
    argv = [sys.executable, str(FARM), "--cert", str(cert), "--key", str(key)]
    argv += [arg for port in http_ports for arg in ("--http", str(port))]
    argv += [arg for port in https_ports for arg in ("--https", str(port))]
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE)
    farm.procs.append(proc)
    assert proc.stdout is not None
    if proc.stdout.readline().strip() != b"ready":
        raise RuntimeError(f"a target process did not start (exit status {proc.poll()})")
    farm.http_ports.extend(http_ports)
    farm.https_ports.extend(https_ports)
