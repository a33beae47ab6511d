"""The services of a stack as real subprocesses (as compose runs them), for
end-to-end and chaos tests."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
from pathlib import Path

import aiohttp

from shared import bus, config, liveness, topology
from stack.parts import free_port
from tests.conftest import eventually, make_settings, new_database, settings_env
from tests.infra import Infra

ROOT = Path(__file__).parents[1]
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


@contextlib.asynccontextmanager
async def running_stack(settings: config.Settings, js, logs: Path):
    """Every service as a subprocess on the test's parts, stopped afterwards."""
    import msgspec

    s = msgspec.structs.replace(
        settings, api_port=free_port(), outbox_poll_s=0.2, scheduler_reconcile_s=5.0
    )
    s = msgspec.structs.replace(s, public_url=f"http://127.0.0.1:{s.api_port}")
    st = Stack(s, js, logs)
    for name in SERVICES:
        st.start(name)
    try:
        await st.wait_live()
        yield st
    finally:
        st.stop_all()


@contextlib.asynccontextmanager
async def stack_on_own_parts(infra: Infra, pg_template: str, logs: Path):
    """A running stack with its own NATS server and databases, for fixtures wider than
    one test (whose parts the per-test fixtures cannot give)."""
    nats = infra.new_nats()
    try:
        settings = await make_settings(infra, await new_database(infra, pg_template), nats.url)
        conn = await bus.connect(settings.nats_url, name="test")
        try:
            js = bus.jetstream(conn)
            await topology.ensure(js, settings)
            async with running_stack(settings, js, logs) as st:
                yield st
        finally:
            await conn.close()
    finally:
        nats.close()
