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
            stderr=(self.cwd / "up.stderr").open("w"),
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
            errors = (self.cwd / "up.stderr").read_text()[-2000:]
            raise AssertionError(f"upmon up exited early:\n{''.join(self.lines)}{errors}")
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
    # Two schedulers, as for failover: they share the partitions between them.
    up.args[up.args.index("--metrics-port-base") + 1] = str(free_port_block(5))
    up.args += ["--replicas", "scheduler=2"]
    cold = await up.start()
    print(f"upmon up: cold start to /readyz in {cold:.1f}s")
    key = up.admin_key()
    assert key and (up.cwd / ".upmon" / "admin.key").read_text().strip() == key
    headers = {"Authorization": f"Bearer {key}"}
    async with aiohttp.ClientSession(base_url=up.api, headers=headers) as api:
        monitor = {"name": "t", "kind": "http", "target": target, "interval_s": 2}
        monitor["http"] = {"auth": {"type": "bearer", "token": "up-token-123"}}
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
        # The first start generated the secret key; the CLI opens secrets with it.
        key_file = up.cwd / ".upmon" / "secret.key"
        assert key_file.stat().st_mode & 0o777 == 0o600
        exported = up.cli("monitors", "export", "--secrets", "include")
        assert exported.returncode == 0 and "up-token-123" in exported.stdout
        secret_key = key_file.read_text()

        async def shared_partitions():
            async with api.get("/api/v1/ops/services") as resp:
                items = (await resp.json())["items"]
            held = [
                int(r["info"].get("partitions", 0)) for r in items if r["service"] == "scheduler"
            ]
            return items if len(held) == 2 and all(held) and sum(held) == 64 else None

        replicas = await eventually(shared_partitions, timeout=30)
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

    # Data survives a restart, and no second admin key (nor secret key) is made.
    await up.start()
    assert up.admin_key() is None and key_file.read_text() == secret_key
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


async def test_up_with_three_nats_nodes_and_a_leaf_runs_at_r3_and_outlives_a_node(up, target):
    client, route, monitor = free_port_block(3), free_port_block(3), free_port_block(3)
    up.args[up.args.index("--nats-port") + 1] = str(client)
    # A fifth metrics port: the leaf region's executor.
    metrics = free_port_block(5)
    up.args[up.args.index("--metrics-port-base") + 1] = str(metrics)
    up.args += ["--nats-nodes", "3", "--nats-cluster-port", str(route)]
    up.args += [
        "--nats-monitor-port",
        str(monitor),
        "--leaf",
        "eu",
        "--leaf-port",
        str(free_port()),
    ]
    up.args += ["--nats-leafnode-port", str(free_port_block(3))]
    await up.start()
    assert any("leaf node for region eu" in line for line in up.lines)
    for i in range(3):
        ports = f"client {client + i}  cluster {route + i}  monitoring {monitor + i}"
        assert any(f"nats-{i + 1}: {ports}" in line for line in up.lines), up.lines
    headers = {"Authorization": f"Bearer {up.admin_key()}"}
    async with aiohttp.ClientSession(base_url=up.api, headers=headers) as api:
        async with api.get(f"http://127.0.0.1:{monitor}/jsz?streams=true") as resp:
            jsz = await resp.json()
        streams = [s for a in jsz["account_details"] for s in a["stream_detail"]]
        assert len(streams) >= 9
        assert all(len(s["cluster"]["replicas"]) == 2 for s in streams)

        async def all_six():
            async with api.get("/api/v1/ops/services") as resp:
                items = (await resp.json())["items"]
            return items if len(items) == 6 else None

        replicas = await eventually(all_six, timeout=20)
        nodes = {f"127.0.0.1:{client + i}" for i in range(3)}
        hub = [r for r in replicas if r["info"].get("region") != "eu"]
        assert len(hub) == 5 and all(r["nats_server"] in nodes for r in hub)
        [leaf] = [r for r in replicas if r["info"].get("region") == "eu"]
        assert leaf["nats_server"] not in nodes
        # /metrics says the same: the scheduler (metrics port base + 1) and its server.
        async with api.get(f"http://127.0.0.1:{metrics + 1}/metrics") as resp:
            text = await resp.text()
        [scheduler] = [r for r in hub if r["service"] == "scheduler"]
        assert f'upmon_nats_connected{{server="{scheduler["nats_server"]}"}} 1.0' in text
        assert "upmon_nats_reconnects_total 0.0" in text

        body = {"name": "t", "kind": "http", "target": target, "interval_s": 1}
        async with api.post(
            "/api/v1/monitors", json={**body, "regions": ["default", "eu"]}
        ) as resp:
            mid = (await resp.json())["id"]

        async def result_count():
            async with api.get(f"/api/v1/monitors/{mid}/results") as resp:
                return len((await resp.json())["items"]) if resp.status == 200 else 0

        async def regions():
            async with api.get(f"/api/v1/monitors/{mid}/results") as resp:
                return {r["region"] for r in (await resp.json())["items"]} == {"default", "eu"}

        await eventually(regions, timeout=15)
        [node] = [
            p
            for p in psutil.Process(up.proc.pid).children(recursive=True)
            if "nats-2" in p.cmdline()
        ]
        node.kill()
        killed_at = await result_count()
        await eventually(lambda: _more_than(result_count, killed_at + 3), timeout=45)
    up.stop()
    assert up.proc.returncode == 0

    outside = up.cli("up", "--nats-port", "65534", "--nats-nodes", "3")
    assert outside.returncode != 0 and "out of range" in outside.stderr


async def _more_than(count, n: int) -> bool:
    return await count() > n
