"""What the scheduler reads from Postgres: the live monitors, through the api's read
model (the monitor_definitions view), never its tables."""

from __future__ import annotations

import asyncpg
import msgspec

from shared.monitors import Monitor

_decode = msgspec.json.Decoder(Monitor).decode


async def live_monitors(pool: asyncpg.Pool) -> list[Monitor]:
    # JSON text decoded straight into Monitors, a chunk at a time: neither every row
    # nor a dict per document is ever held at once (100,000 monitors at each reconcile).
    async with pool.acquire() as conn, conn.transaction():
        query = "SELECT doc::text FROM monitor_definitions WHERE deleted_at IS NULL"
        return [_decode(row[0]) async for row in conn.cursor(query, prefetch=2000)]
