"""Login attempts per client address over a sliding window, kept in Postgres so
every api replica enforces the same budget."""

from __future__ import annotations

import asyncpg

# Advisory locks taken with two keys live apart from single-key ones; this class
# keeps per-address locks from meeting any other lock of the application.
_LOCK_CLASS = 0x6C6F67


async def admit(pool: asyncpg.Pool, address: str, limit: int, window_s: float) -> int | None:
    """Count an attempt from `address`; None if it may go ahead, otherwise the
    seconds until the oldest attempt in the window expires."""
    async with pool.acquire() as conn, conn.transaction():
        # Serialise one address's attempts, so concurrent ones cannot both see room.
        await conn.execute("SELECT pg_advisory_xact_lock($1, hashtext($2))", _LOCK_CLASS, address)
        await conn.execute(
            "DELETE FROM login_attempts WHERE at <= now() - make_interval(secs => $1)", window_s
        )
        wait = await conn.fetchval(
            "SELECT ceil(extract(epoch FROM min(at) + make_interval(secs => $3) - now()))"
            " FROM (SELECT at FROM login_attempts WHERE address = $1"
            " ORDER BY at DESC LIMIT $2) recent HAVING count(*) >= $2",
            address,
            limit,
            window_s,
        )
        if wait is not None:
            return max(1, int(wait))
        await conn.execute("INSERT INTO login_attempts (address) VALUES ($1)", address)
        return None
