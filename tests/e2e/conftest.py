"""The whole stack for end-to-end tests: each service a real subprocess (as compose
runs them) on the test's own NATS, Postgres and ClickHouse databases, plus a
local target server and a local webhook receiver."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import subprocess
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp
import asyncpg
import msgspec
import pytest
from aiohttp import web

from services.api.keys import create_api_key
from shared import config, liveness
from stack.parts import free_port
from tests.conftest import eventually, settings_env

ROOT = Path(__file__).parents[2]
SERVICES = ("scheduler", "executor", "recorder", "notifier", "api")


class Stack:
    def __init__(self, settings: config.Settings, js, logs: Path) -> None:
        self.settings = settings
        self.js = js
        self.logs = logs
        self.procs: dict[str, subprocess.Popen] = {}
        self.api_url = f"http://127.0.0.1:{settings.api_port}"
        self.metrics_ports = {name: free_port() for name in SERVICES if name != "api"}

    def start(self, name: str, replica: str | None = None, **env_vars: str) -> None:
        """Start a service; `replica` names an extra process of it (e.g. another region)."""
        replica = replica or name
        env = {**os.environ, **settings_env(self.settings), "UPMON_LOG_FORMAT": "json"}
        if replica in self.metrics_ports:
            env["UPMON_METRICS_PORT"] = str(self.metrics_ports[replica])
        env.update(env_vars)
        log = open(self.logs / f"{replica}.log", "ab")  # noqa: SIM115 - owned by the child
        self.procs[replica] = subprocess.Popen(
            [sys.executable, "-m", "cli.main", "service", name],
            env=env,
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def kill(self, name: str) -> None:
        proc = self.procs.pop(name)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(10)

    async def wait_live(self, names=SERVICES) -> None:
        async def live():
            for name, proc in self.procs.items():
                if proc.poll() is not None:
                    raise AssertionError(
                        f"{name} exited with {proc.returncode}:\n{self.tail(name)}"
                    )
            seen = {r.service for r in await liveness.replicas(self.js)}
            return set(names) <= seen and ("api" not in names or await self.ready())

        await eventually(live, timeout=30)

    async def ready(self) -> bool:
        try:
            async with (
                aiohttp.ClientSession() as session,
                session.get(f"{self.api_url}/readyz") as resp,
            ):
                return resp.status == 200
        except aiohttp.ClientError:
            return False

    def tail(self, name: str, lines: int = 30) -> str:
        path = self.logs / f"{name}.log"
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])

    def stop_all(self) -> None:
        for proc in self.procs.values():
            with contextlib.suppress(ProcessLookupError):
                proc.send_signal(signal.SIGTERM)
        for name, proc in list(self.procs.items()):
            try:
                proc.wait(20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(5)
            self.procs.pop(name)


@pytest.fixture
async def stack(settings, js, tmp_path) -> AsyncIterator[Stack]:
    s = msgspec.structs.replace(
        settings, api_port=free_port(), outbox_poll_s=0.2, scheduler_reconcile_s=5.0
    )
    s = msgspec.structs.replace(s, public_url=f"http://127.0.0.1:{s.api_port}")
    st = Stack(s, js, tmp_path)
    for name in SERVICES:
        st.start(name)
    try:
        await st.wait_live()
        yield st
    finally:
        st.stop_all()


@pytest.fixture
async def api(stack: Stack) -> AsyncIterator[aiohttp.ClientSession]:
    conn = await asyncpg.connect(stack.settings.pg_dsn)
    try:
        _, key = await create_api_key(conn, "e2e", "admin")
    finally:
        await conn.close()
    headers = {"Authorization": f"Bearer {key}"}
    async with aiohttp.ClientSession(base_url=stack.api_url, headers=headers) as session:
        yield session


@dataclass
class Target:
    """A local HTTP target whose health the test switches."""

    url: str = ""
    healthy: bool = True
    delay_s: float = 0.0
    hits: int = 0
    in_flight: asyncio.Event = field(default_factory=asyncio.Event)

    async def handle(self, _: web.Request) -> web.Response:
        self.hits += 1
        self.in_flight.set()
        if self.delay_s:
            await asyncio.sleep(self.delay_s)
        return web.Response(
            text="ok" if self.healthy else "broken", status=200 if self.healthy else 503
        )


@pytest.fixture
async def target() -> AsyncIterator[Target]:
    t = Target()
    app = web.Application()
    app.router.add_get("/", t.handle)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    t.url = f"http://127.0.0.1:{port}/"
    yield t
    await runner.cleanup()


@dataclass
class Receiver:
    url: str = ""
    status: int = 200
    received: list[tuple[dict, dict[str, str], bytes]] = field(default_factory=list)

    async def handle(self, request: web.Request) -> web.Response:
        body = await request.read()
        self.received.append((msgspec.json.decode(body), dict(request.headers), body))
        return web.Response(status=self.status)

    def events(self) -> list[str]:
        return [doc["event"] for doc, _, _ in self.received]


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    r = Receiver()
    app = web.Application()
    app.router.add_post("/hook", r.handle)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    r.url = f"http://127.0.0.1:{port}/hook"
    yield r
    await runner.cleanup()
