"""The parts the api benchmark runs on: embedded Postgres, ClickHouse and nats-server
in a folder of their own, migrated, and the api service as a child process."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import aiohttp
import msgspec

from shared import clickhouse, config, db, sealing
from stack.parts import ClickHouseServer, NatsServer, PostgresServer, free_port

DATABASE = "upmon"


class Stack:
    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.pg = PostgresServer(workdir / "pg", free_port(), database=DATABASE)
        self.ch = ClickHouseServer(workdir / "ch", free_port())
        self.nats = NatsServer(workdir / "nats", free_port())
        self.api: subprocess.Popen[bytes] | None = None
        self.api_url = ""
        self.settings = config.load(
            {},
            secret_key=sealing.generate_key(),
            nats_url=self.nats.url,
            pg_dsn=self.pg.url,
            clickhouse_url=self.ch.url,
            clickhouse_database=DATABASE,
            # Thirty days of raw rows must outlive the raw TTL.
            clickhouse_raw_ttl_days=400,
            log_format="json",
            log_level="warning",
            # One client reads as fast as it can: the buckets are still taken on every
            # request (their cost is part of the latency measured) but never run dry.
            rate_limit_key_rps=1_000_000.0,
            rate_limit_key_burst=10_000_000,
        )

    async def __aenter__(self) -> Stack:
        await asyncio.gather(
            *(asyncio.to_thread(p.start, 120) for p in (self.pg, self.ch, self.nats))
        )
        await db.migrate(self.settings.pg_dsn)
        await clickhouse.migrate(self.settings)
        return self

    async def __aexit__(self, *exc: object) -> None:
        self.stop_api()
        await asyncio.gather(*(asyncio.to_thread(p.stop) for p in (self.nats, self.ch, self.pg)))

    async def start_api(self, pool_max: int) -> str:
        """The api service as production runs it; returns its base URL once it answers."""
        port = free_port()
        self.api_url = f"http://127.0.0.1:{port}"
        env = {**os.environ, **_env(self.settings)}
        env.update(
            UPMON_API_PORT=str(port), UPMON_PUBLIC_URL=self.api_url, UPMON_PG_POOL_MAX=str(pool_max)
        )
        log = open(self.workdir / "api.log", "ab")  # noqa: SIM115 - the child keeps it
        try:
            self.api = subprocess.Popen(
                [sys.executable, "-m", "cli.main", "service", "api"],
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        finally:
            log.close()
        await self._until_ready()
        return self.api_url

    async def _until_ready(self, timeout_s: float = 60.0) -> None:
        deadline = time.monotonic() + timeout_s
        async with aiohttp.ClientSession() as session:
            while True:
                assert self.api is not None
                if self.api.poll() is not None:
                    raise RuntimeError(f"the api exited; see {self.workdir / 'api.log'}")
                try:
                    async with session.get(f"{self.api_url}/readyz") as resp:
                        if resp.status == 200:
                            return
                except aiohttp.ClientError:
                    pass
                if time.monotonic() > deadline:
                    raise RuntimeError(f"the api is not ready; see {self.workdir / 'api.log'}")
                await asyncio.sleep(0.1)

    def stop_api(self) -> None:
        if self.api is None:
            return
        if self.api.poll() is None:
            self.api.send_signal(signal.SIGTERM)
            try:
                self.api.wait(15)
            except subprocess.TimeoutExpired:
                self.api.kill()
                self.api.wait()
        self.api = None

    def api_pid(self) -> int:
        assert self.api is not None
        return self.api.pid

    def clickhouse_pid(self) -> int:
        assert self.ch.pid is not None
        return self.ch.pid


def _env(settings: config.Settings) -> dict[str, str]:
    return {
        config.PREFIX + name.upper(): str(value)
        for name, value in msgspec.structs.asdict(settings).items()
        if name != "replica_id"
    }
