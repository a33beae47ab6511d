"""ClickHouse: the async client and versioned migrations."""

from __future__ import annotations

import asyncio
from urllib.parse import urlsplit

import clickhouse_connect
from clickhouse_connect.driver.asyncclient import AsyncClient

from shared import clickhouse_cluster
from shared.config import Settings
from shared.db import migration_files
from shared.logs import get

log = get("clickhouse")


async def connect(
    settings: Settings, database: str | None = None, retries: int = 30
) -> AsyncClient:
    url = urlsplit(settings.clickhouse_url)
    for attempt in range(1, retries + 1):
        try:
            return await clickhouse_connect.get_async_client(
                host=url.hostname or "127.0.0.1",
                port=url.port or 8123,
                secure=url.scheme == "https",
                username=settings.clickhouse_user,
                password=settings.clickhouse_password,
                database=database or "default",
                connect_timeout=5,
                send_receive_timeout=60,
            )
        except Exception as exc:  # the driver wraps connection errors in several types
            if attempt == retries:
                raise
            log.warning("clickhouse_unavailable", error=str(exc), attempt=attempt)
            await asyncio.sleep(min(2.0, 0.1 * attempt))
    raise AssertionError("unreachable")


async def migrate(settings: Settings, until: int | None = None) -> list[str]:
    """Create the database and apply pending migrations (idempotent DDL, tracked by
    version); `until` stops after that version, to test an upgrade from it."""
    db = settings.clickhouse_database
    client = await connect(settings)
    applied: list[str] = []
    try:
        for statement in ddl(
            settings,
            f"CREATE DATABASE IF NOT EXISTS `{db}`",
            f"CREATE TABLE IF NOT EXISTS `{db}`.schema_migrations"
            " (version UInt32, name String, applied_at DateTime DEFAULT now())"
            " ENGINE = MergeTree ORDER BY version",
        ):
            await client.command(statement)
        done = {
            row[0]
            for row in (
                await client.query(f"SELECT version FROM `{db}`.schema_migrations")
            ).result_rows
        }
        for version, name, sql in migration_files("clickhouse"):
            if version in done or (until is not None and version > until):
                continue
            text = sql.replace("{db}", f"`{db}`").replace(
                "{raw_ttl_days}", str(settings.clickhouse_raw_ttl_days)
            )
            for statement in ddl(settings, *_statements(text)):
                await client.command(statement)
            await client.insert(
                f"{db}.schema_migrations", [[version, name]], column_names=["version", "name"]
            )
            applied.append(name)
            log.info("migration_applied", engine="clickhouse", name=name)
    finally:
        await client.close()
    return applied


def ddl(settings: Settings, *statements: str) -> list[str]:
    """The statements as they run here: unchanged on one node, rewritten for a cluster."""
    if not settings.clickhouse_cluster:
        return list(statements)
    return [
        out for s in statements for out in clickhouse_cluster.ddl(s, settings.clickhouse_cluster)
    ]


def _statements(sql: str) -> list[str]:
    lines = [line for line in sql.splitlines() if not line.strip().startswith("--")]
    return [s.strip() for s in "\n".join(lines).split(";") if s.strip()]
