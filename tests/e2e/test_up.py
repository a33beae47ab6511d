"""`upmon up`: the whole stack on embedded parts, as a user runs it from a project folder."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import aiohttp
import psutil
import pytest
from aiohttp import web

from stack.parts import free_port, free_port_block
from tests.conftest import eventually

UPMON = str(Path(sys.executable).with_name("upmon"))


class Up:
    def __init__(self, cwd: Path) -> None:
        self.cwd = cwd
        self.api_port = free_port()
        self.args = [
            "--api-port", str(self.api_port),
            "--nats-port", str(free_port()),
            "--postgres-port", str(free_port()),
            "--clickhouse-port", str(free_port()),
            "--metrics-port-base", str(free_port_block(4)),
        ]  # fmt: skip
        self.lines: list[str] = []
        self.proc: subprocess.Popen | None = None

    @property
    def api(self) -> str:
        return f"http://127.0.0.1:{self.api_port}"

    async def start(self) -> float:
        started = time.monotonic()
        self.lines = []
        self.proc = subprocess.Popen(
            [UPMON, "up", *self.args],
            cwd=self.cwd,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            start_new_session=True,
        )
        threading.Thread(target=self._read, args=(self.proc,), daemon=True).start()
        await eventually(self._ready, timeout=60)
        return time.monotonic() - started

    def _read(self, proc: subprocess.Popen) -> None:
        for line in proc.stdout:
            self.lines.append(line)

    async def _ready(self) -> bool:
        if self.proc.poll() is not None:
            raise AssertionError(f"upmon up exited early:\n{''.join(self.lines)}")
        return any("press Ctrl-C" in line for line in self.lines)

    def admin_key(self) -> str | None:
        for i, line in enumerate(self.lines):
            if "admin API key" in line:
                return self.lines[i + 1].strip()
        return None

    def stop(self) -> list[psutil.Process]:
        """SIGTERM like Ctrl-C; returns the processes that were running under it."""
        family = psutil.Process(self.proc.pid).children(recursive=True)
        self.proc.send_signal(signal.SIGTERM)
        self.proc.wait(60)
        return family

    def cli(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [UPMON, *args], cwd=self.cwd, capture_output=True, text=True, timeout=60
        )


@pytest.fixture
async def target():
    app = web.Application()

    async def ok(_: web.Request) -> web.Response:
        return web.Response(text="ok")

    app.router.add_get("/", ok)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    yield f"http://127.0.0.1:{port}/"
    await runner.cleanup()


@pytest.fixture
def up(tmp_path):
    u = Up(tmp_path)
    yield u
    if u.proc and u.proc.poll() is None:
        os.killpg(u.proc.pid, signal.SIGKILL)
        for child in psutil.Process(u.proc.pid).children(recursive=True):
            child.kill()


async def test_up_runs_the_stack_survives_kill_9_and_stops_cleanly(up, target):
    cold = await up.start()
    print(f"upmon up: cold start to /readyz in {cold:.1f}s")
    key = up.admin_key()
    assert key and (up.cwd / ".upmon" / "admin.key").read_text().strip() == key
    headers = {"Authorization": f"Bearer {key}"}
    async with aiohttp.ClientSession(base_url=up.api, headers=headers) as api:
        monitor = {"name": "t", "kind": "http", "target": target, "interval_s": 2}
        async with api.post("/api/v1/monitors", json=monitor) as resp:
            assert resp.status == 201, await resp.text()
            mid = (await resp.json())["id"]
        created = time.monotonic()

        async def results():
            async with api.get(f"/api/v1/monitors/{mid}/results") as resp:
                return (await resp.json())["items"]

        await eventually(results, timeout=2 + 5)
        print(f"first result through the API {time.monotonic() - created:.1f}s after creation")

        # CLI commands from the project folder act on this stack with no flags.
        queues = up.cli("queues")
        assert queues.returncode == 0 and "executor-default" in queues.stdout
        made = up.cli("apikey", "create", "--name", "ci", "--scope", "read")
        assert made.returncode == 0 and made.stdout.startswith("upm_")

        async with api.get("/api/v1/ops/services") as resp:
            replicas = (await resp.json())["items"]
        [executor] = [r for r in replicas if r["service"] == "executor"]
        os.kill(executor["pid"], signal.SIGKILL)

        async def slots_without_gaps():
            items = await results()
            slots = sorted(int(r["check_id"].rsplit(":", 1)[1]) for r in items)
            span = slots[-1] - slots[0] + 1
            return len(slots) >= 6 and len(set(slots)) == len(slots) == span

        await eventually(slots_without_gaps, timeout=60)
    assert any("service executor exited with -9" in line for line in up.lines)

    family = up.stop()
    assert up.proc.returncode == 0
    assert family and not [p for p in family if p.is_running() and p.status() != "zombie"]

    # Data survives a restart, and no second admin key is made.
    await up.start()
    assert up.admin_key() is None
    async with (
        aiohttp.ClientSession(base_url=up.api, headers=headers) as api,
        api.get(f"/api/v1/monitors/{mid}") as resp,
    ):
        assert resp.status == 200
    up.stop()


def test_port_in_use_is_a_clear_error(up):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", up.api_port))
        busy.listen()
        started = time.monotonic()
        done = up.cli("up", *up.args)
    assert done.returncode != 0
    assert f"port {up.api_port} is already in use" in done.stderr
    assert time.monotonic() - started < 10
