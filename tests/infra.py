"""Backends that give tests real Postgres, ClickHouse and NATS servers.

Embedded (default): the same wheels ``upmon up`` runs, started on free ports under a temp
folder. Containers (``UPMON_TEST_INFRA=containers``): testcontainers, for machines with Docker.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import tempfile
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Protocol

from stack.parts import ClickHouseServer, NatsServer, PartError, PostgresServer, free_port
from stack.versions import CLICKHOUSE_IMAGE, NATS_IMAGE, POSTGRES_IMAGE

INFRA_ENV = "UPMON_TEST_INFRA"


class NatsHandle(Protocol):
    url: str

    def close(self) -> None: ...


class Infra(Protocol):
    def pg_admin_dsn(self) -> str: ...

    def clickhouse(self) -> tuple[str, int]: ...

    def new_nats(self) -> NatsHandle: ...

    def close(self) -> None: ...


def make_infra(tmp_root: Path) -> Infra:
    kind = os.environ.get(INFRA_ENV, "embedded").strip().lower() or "embedded"
    if kind == "embedded":
        return EmbeddedInfra(tmp_root)
    if kind == "containers":
        return ContainerInfra()
    raise ValueError(f"{INFRA_ENV} must be 'embedded' or 'containers', not {kind!r}")


def _start_on_free_port(make: Any, attempts: int = 3) -> Any:
    """free_port() can lose a race with another process between probe and bind; retry then."""
    for attempt in range(attempts):
        part = make(free_port())
        try:
            part.start()
            return part
        except PartError as exc:
            if "already in use" not in str(exc) or attempt == attempts - 1:
                raise
    raise AssertionError("unreachable")


# -- embedded ---------------------------------------------------------------------------------


class _EmbeddedNats:
    def __init__(self, server: NatsServer, folder: Path, on_close: Any) -> None:
        self._server = server
        self._folder = folder
        self._on_close = on_close
        self.url = server.url

    def close(self) -> None:
        # Killed, not stopped: its store is deleted next, so JetStream's orderly shutdown
        # (about 0.1 s, paid once per test) would flush files nobody reads.
        self._server.kill()
        shutil.rmtree(self._folder, ignore_errors=True)
        self._on_close(self)


class EmbeddedInfra:
    """Postgres and ClickHouse are shared by the session (started on first use); NATS is
    started fresh per test, which takes a few tens of milliseconds."""

    def __init__(self, tmp_root: Path) -> None:
        self._root = Path(tmp_root)
        self._root.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._pg: PostgresServer | None = None
        self._ch: ClickHouseServer | None = None
        self._nats: list[_EmbeddedNats] = []

    def pg_admin_dsn(self) -> str:
        with self._lock:
            if self._pg is None:
                self._pg = _start_on_free_port(
                    lambda port: PostgresServer(self._root / "pg", port, database="postgres")
                )
            return self._pg.dsn("postgres")

    def clickhouse(self) -> tuple[str, int]:
        with self._lock:
            if self._ch is None:
                self._ch = _start_on_free_port(
                    lambda port: ClickHouseServer(self._root / "ch", port)
                )
            return "127.0.0.1", self._ch.port

    def new_nats(self) -> NatsHandle:
        (self._root / "nats").mkdir(exist_ok=True)
        folder = Path(tempfile.mkdtemp(prefix="n", dir=self._root / "nats"))
        server = _start_on_free_port(lambda port: NatsServer(folder, port))
        handle = _EmbeddedNats(server, folder, self._forget)
        with self._lock:
            self._nats.append(handle)
        return handle

    def _forget(self, handle: _EmbeddedNats) -> None:
        with self._lock, contextlib.suppress(ValueError):
            self._nats.remove(handle)

    def close(self) -> None:
        for handle in list(self._nats):
            handle.close()
        with self._lock:
            parts = [p for p in (self._pg, self._ch) if p is not None]
            self._pg = self._ch = None
        for part in parts:
            part.stop()


# -- containers -------------------------------------------------------------------------------


def _run_async(coro: Any) -> Any:
    # Callers may be inside a running event loop (async fixtures), where asyncio.run is refused.
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coro).result()


async def _wipe_jetstream(url: str) -> None:
    import nats

    nc = await nats.connect(url, connect_timeout=5, max_reconnect_attempts=0)
    try:
        js = nc.jetstream()
        # KV buckets and object stores are streams too (KV_*, OBJ_*), so this covers them.
        for info in await js.streams_info():
            await js.delete_stream(info.config.name)
    finally:
        await nc.close()


class _SharedNats:
    def __init__(self, url: str) -> None:
        self.url = url

    def close(self) -> None:
        """The container outlives the test; the next new_nats() wipes what this one left."""


class ContainerInfra:
    def __init__(self) -> None:
        self._containers: list[Any] = []
        self._lock = threading.Lock()
        self._pg: Any = None
        self._ch: Any = None
        self._nats: Any = None

    def _start(self, container: Any) -> Any:
        container.start()
        self._containers.append(container)
        return container

    def pg_admin_dsn(self) -> str:
        with self._lock:
            if self._pg is None:
                try:
                    from testcontainers.community.postgres import PostgresContainer
                except ImportError:
                    from testcontainers.postgres import PostgresContainer

                self._pg = self._start(
                    PostgresContainer(
                        POSTGRES_IMAGE,
                        username="postgres",
                        password="postgres",
                        dbname="postgres",
                        driver=None,
                    )
                )
            return self._pg.get_connection_url()

    def clickhouse(self) -> tuple[str, int]:
        with self._lock:
            if self._ch is None:
                try:
                    from testcontainers.community.clickhouse import ClickHouseContainer
                except ImportError:
                    from testcontainers.clickhouse import ClickHouseContainer

                container = ClickHouseContainer(CLICKHOUSE_IMAGE, username="default")
                # Callers get host and port only, so the server must accept the passwordless
                # default user from outside the container, as the embedded server does.
                container.password = ""
                container.with_env("CLICKHOUSE_SKIP_USER_SETUP", "1")
                self._ch = self._start(container)
            return self._ch.get_container_host_ip(), int(self._ch.get_exposed_port(8123))

    def new_nats(self) -> NatsHandle:
        with self._lock:
            if self._nats is None:
                try:
                    from testcontainers.community.nats import NatsContainer
                except ImportError:
                    from testcontainers.nats import NatsContainer

                # The image's default command loads a config without JetStream; "-js" replaces it.
                self._nats = self._start(NatsContainer(NATS_IMAGE).with_command("-js"))
            url = self._nats.nats_uri()
        _run_async(_wipe_jetstream(url))
        return _SharedNats(url)

    def close(self) -> None:
        with self._lock:
            containers, self._containers = self._containers, []
            self._pg = self._ch = self._nats = None
        for container in reversed(containers):
            with contextlib.suppress(Exception):
                container.stop()
