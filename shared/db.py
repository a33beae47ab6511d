"""Postgres: the pool, versioned SQL migrations, and JSON codecs for asyncpg."""

from __future__ import annotations

import asyncio
import importlib.util
from importlib import resources
from typing import Any

import asyncpg

from shared.logs import get

log = get("db")
MIGRATION_LOCK = 0x75706D6F6E  # any constant: serialises concurrent migrators


async def _init_conn(conn: asyncpg.Connection) -> None:
    await conn.set_type_codec("jsonb", encoder=_dumps, decoder=_loads, schema="pg_catalog")


def _dumps(value: object) -> str:
    """A str is taken as JSON text already; anything else is encoded."""
    import msgspec

    return value if isinstance(value, str) else msgspec.json.encode(value).decode()


def _loads(value: str) -> object:
    import msgspec

    return msgspec.json.decode(value)


class NoWritableServer(ConnectionError):
    """No host of the DSN is a read-write primary now (`target_session_attrs=read-write`
    during a failover): an outage like a refused connection, and handled as one."""


# "Postgres is away, retry later": the server or the way to it is down, starting, shutting
# down, out of connections or resources, failing over (read-only, no primary), or it chose
# to abort a transaction that may simply be run again. Everything else (a constraint, a
# syntax error, a value that cannot be encoded) is a bug or bad data: retrying the same
# work gives the same error, so it must not be waited out as an outage.
_AWAY: tuple[type[BaseException], ...] = (
    OSError,  # refused, reset, timed out (TimeoutError), NoWritableServer
    asyncpg.InterfaceError,  # "connection is closed", "pool is closing"
    asyncpg.PostgresConnectionError,
    asyncpg.InsufficientResourcesError,  # too many connections, out of memory, disk full
    asyncpg.CannotConnectNowError,
    asyncpg.AdminShutdownError,
    asyncpg.CrashShutdownError,
    asyncpg.IdleSessionTimeoutError,
    asyncpg.ReadOnlySQLTransactionError,
    asyncpg.SerializationError,
    asyncpg.DeadlockDetectedError,
)
# InterfaceErrors that are the caller's fault, not the connection's.
_CALLERS_FAULT: tuple[type[BaseException], ...] = (
    asyncpg.exceptions.DataError,
    asyncpg.exceptions.ClientConfigurationError,
    asyncpg.exceptions.UnsupportedClientFeatureError,
    asyncpg.exceptions.UnsupportedServerFeatureError,
)


def unavailable(exc: BaseException) -> bool:
    """Whether `exc` means Postgres is away and the same work should be retried later."""
    return isinstance(exc, _AWAY) and not isinstance(exc, _CALLERS_FAULT)


async def connect(*args: Any, **kwargs: Any) -> asyncpg.Connection:
    """asyncpg.connect, with a DSN of several hosts finding no primary raised as an OSError,
    so every caller that waits out a Postgres outage waits out a failover too."""
    try:
        return await asyncpg.connect(*args, **kwargs)
    except asyncpg.TargetServerAttributeNotMatched as exc:
        raise NoWritableServer(str(exc)) from exc


async def connect_pool(dsn: str, max_size: int = 10, retries: int = 30) -> asyncpg.Pool:
    """Create the pool, waiting for Postgres to come up (services may start first).

    A DSN may list several hosts (`postgresql://u@h1:5432,h2:5432/db?target_session_attrs=
    read-write`): new connections then go to whichever is the primary, so after a failover
    the pool reconnects to the promoted standby by itself."""
    for attempt in range(1, retries + 1):
        try:
            return await asyncpg.create_pool(
                dsn,
                min_size=1,
                max_size=max_size,
                init=_init_conn,
                command_timeout=30,
                connect=connect,
            )
        except Exception as exc:
            if attempt == retries or not unavailable(exc):
                raise
            log.warning("postgres_unavailable", error=str(exc), attempt=attempt)
            await asyncio.sleep(min(2.0, 0.1 * attempt))
    raise AssertionError("unreachable")


def migration_files(engine: str, kinds: tuple[str, ...] = (".sql",)) -> list[tuple[int, str, str]]:
    """(version, name, text) for every `NNNN_name.sql` of an engine (and, if asked
    for, `NNNN_name.py`), in order."""
    folder = resources.files("shared") / "migrations" / engine
    found = []
    for entry in folder.iterdir():
        if entry.name.endswith(kinds) and entry.name[:1].isdigit():
            version = int(entry.name.split("_", 1)[0])
            found.append((version, entry.name, entry.read_text()))
    return sorted(found)


async def _apply(conn: asyncpg.Connection, name: str, text: str, keyring) -> None:
    """SQL runs as it is; a Python migration (work SQL cannot do, such as encrypting
    with a key from the environment) is a module with `async def apply(conn, keyring)`."""
    if not name.endswith(".py"):
        await conn.execute(text)
        return
    spec = importlib.util.spec_from_loader(f"upmon_migration_{name[:-3]}", loader=None)
    module = importlib.util.module_from_spec(spec)
    # Our own file from the package, never user input.
    exec(compile(text, name, "exec"), module.__dict__)
    await module.apply(conn, keyring)


async def migrate(dsn: str, settings=None) -> list[str]:
    """Apply pending Postgres migrations, each in its own transaction. `settings`
    gives Python migrations the secret key (without it, they may only find nothing
    to encrypt)."""
    from shared import sealing

    keyring = sealing.Keyring.from_settings(settings) if settings and settings.secret_key else None
    conn = await connect(dsn)
    applied: list[str] = []
    try:
        await conn.execute("SELECT pg_advisory_lock($1)", MIGRATION_LOCK)
        await conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations ("
            " version integer PRIMARY KEY, name text NOT NULL,"
            " applied_at timestamptz NOT NULL DEFAULT now())"
        )
        done = {r["version"] for r in await conn.fetch("SELECT version FROM schema_migrations")}
        for version, name, text in migration_files("postgres", (".sql", ".py")):
            if version in done:
                continue
            async with conn.transaction():
                await _apply(conn, name, text, keyring)
                await conn.execute(
                    "INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", version, name
                )
            applied.append(name)
            log.info("migration_applied", engine="postgres", name=name)
    finally:
        await conn.close()
    return applied
