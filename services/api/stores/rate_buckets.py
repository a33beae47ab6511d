"""Token buckets in Postgres: one UPSERT per admitted request, under the row lock
of its bucket, so concurrent requests on any number of api replicas share one budget.

Time is Postgres's own (`now()`), so replicas' clocks never skew a bucket;
`greatest` keeps a statement that started before another committed from moving
the bucket's time backwards."""

from __future__ import annotations

import asyncpg

_REFILLED = "least($3, b.tokens + $2 * extract(epoch FROM greatest(now() - b.at, '0s')))"
# Takes a token if one is there; no row comes back when the bucket is empty.
_TAKE = f"""
INSERT INTO rate_buckets AS b (bucket, tokens, at) VALUES ($1, $3 - 1, now())
ON CONFLICT (bucket) DO UPDATE SET tokens = {_REFILLED} - 1, at = greatest(b.at, now())
WHERE {_REFILLED} >= 1
RETURNING tokens
"""
_WAIT = f"SELECT (1 - {_REFILLED}) / $2 FROM rate_buckets b WHERE bucket = $1"


async def take(pool: asyncpg.Pool, bucket: str, rate: float, burst: int) -> float | None:
    """None if a token was taken; otherwise the seconds until one is there."""
    async with pool.acquire() as conn:
        if await conn.fetchval(_TAKE, bucket, rate, float(burst)) is not None:
            return None
        wait = await conn.fetchval(_WAIT, bucket, rate, float(burst))
    return max(0.0, float(wait or 0.0))


async def sweep(pool: asyncpg.Pool, full_after_s: float) -> None:
    """Forget buckets idle long enough to be full again: a fresh row is the same."""
    await pool.execute(
        "DELETE FROM rate_buckets WHERE at < now() - make_interval(secs => $1)", full_after_s
    )
