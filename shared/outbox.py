"""The transactional outbox and its relay.

A service writes its change and the event announcing it in one transaction
(`enqueue`); the relay publishes outbox rows with `Nats-Msg-Id` = event id and
deletes them only after JetStream acknowledged them. A crash between publish
and delete republishes the same ids, which the stream's duplicate window drops.
"""

from __future__ import annotations

import asyncio
import contextlib

import asyncpg
import nats.errors
from nats.js import JetStreamContext

from shared import db, metrics
from shared.bus import MSG_ID
from shared.events import Event, encode
from shared.logs import get

log = get("outbox")
CHANNEL = "upmon_outbox"


async def enqueue(conn: asyncpg.Connection, subject: str, event: Event) -> None:
    await conn.execute(
        "INSERT INTO outbox (event_id, subject, payload) VALUES ($1, $2, $3)"
        " ON CONFLICT (event_id) DO NOTHING",
        event.id,
        subject,
        encode(event),
    )


async def enqueue_many(conn: asyncpg.Connection, items: list[tuple[str, Event]]) -> None:
    """Several events in one pipelined statement (same transaction rules as enqueue)."""
    if items:
        await conn.executemany(
            "INSERT INTO outbox (event_id, subject, payload) VALUES ($1, $2, $3)"
            " ON CONFLICT (event_id) DO NOTHING",
            [(event.id, subject, encode(event)) for subject, event in items],
        )


async def relay_once(pool: asyncpg.Pool, js: JetStreamContext, batch: int = 500) -> int:
    """Publish up to `batch` rows; returns how many were relayed."""
    async with pool.acquire() as conn, conn.transaction():
        # SKIP LOCKED lets several replicas relay side by side without waiting on each other.
        rows = await conn.fetch(
            "SELECT id, event_id, subject, payload FROM outbox"
            " ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED",
            batch,
        )
        if not rows:
            return 0
        futures = [
            await js.publish_async(
                r["subject"], bytes(r["payload"]), headers={MSG_ID: str(r["event_id"])}
            )
            for r in rows
        ]
        await asyncio.wait_for(asyncio.gather(*futures), 10.0)
        await conn.execute(
            "DELETE FROM outbox WHERE id = ANY($1::bigint[])", [r["id"] for r in rows]
        )
    metrics.OUTBOX_RELAYED.inc(len(rows))
    return len(rows)


async def run_relay(
    pool: asyncpg.Pool, dsn: str, js: JetStreamContext, stop: asyncio.Event, poll_s: float = 1.0
) -> None:
    """Relay until stopped; woken by NOTIFY on insert, polling as a fallback."""
    wake = asyncio.Event()
    listener: asyncpg.Connection | None = None
    while not stop.is_set():
        try:
            if listener is None or listener.is_closed():
                # LISTEN needs a dedicated connection: a pooled one would be reset.
                listener = await db.connect(dsn)
                await listener.add_listener(CHANNEL, lambda *_: wake.set())
            # Clear first: a NOTIFY during the loop below must wake the next round.
            wake.clear()
            while await relay_once(pool, js):
                pass
        except Exception as exc:
            if not (db.unavailable(exc) or isinstance(exc, nats.errors.Error)):
                raise
            log.warning("relay_failed", error=repr(exc))
            if listener is not None:
                with contextlib.suppress(Exception):
                    await listener.close()
                listener = None
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(_first(wake, stop), poll_s)
    if listener is not None:
        with contextlib.suppress(Exception):
            await listener.close()


async def _first(*events: asyncio.Event) -> None:
    waiters = [asyncio.create_task(e.wait()) for e in events]
    try:
        await asyncio.wait(waiters, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for w in waiters:
            w.cancel()
