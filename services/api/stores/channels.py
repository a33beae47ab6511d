"""Notification channels in Postgres; deletes are soft so past deliveries keep a name.

Config goes in and out as JSON text, so this works on any asyncpg connection
whatever jsonb codec it was set up with."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import asyncpg
import msgspec

from services.api.schemas import ChannelView
from services.api.stores import Page

_COLUMNS = "id::text AS id, name, kind, config::text AS config, created_at, events"


def _channel(row: asyncpg.Record) -> ChannelView:
    return ChannelView(
        id=row["id"],
        name=row["name"],
        kind=row["kind"],
        config=msgspec.json.decode(row["config"]),
        created_at=row["created_at"],
        events=list(row["events"]),
    )


async def insert(
    conn: Any, name: str, kind: str, config: dict[str, Any], events: list[str] | None = None
) -> ChannelView:
    row = await conn.fetchrow(
        "INSERT INTO channels (id, name, kind, config, events)"
        " VALUES ($1, $2, $3, $4::jsonb, coalesce($5::text[], '{down,up,reminder}'))"
        f" RETURNING {_COLUMNS}",
        uuid.uuid4(),
        name,
        kind,
        msgspec.json.encode(config).decode(),
        None if events is None else sorted(set(events)),
    )
    return _channel(row)


async def update(
    conn: Any, channel_id: str, kind: str, config: dict[str, Any], events: list[str]
) -> None:
    """Replace a live channel's kind, (already validated and sealed) config and events."""
    await conn.execute(
        "UPDATE channels SET kind = $2, config = $3::jsonb, events = $4::text[]"
        " WHERE id = $1 AND deleted_at IS NULL",
        uuid.UUID(channel_id),
        kind,
        msgspec.json.encode(config).decode(),
        sorted(set(events)),
    )


async def get(conn: Any, channel_id: uuid.UUID) -> ChannelView | None:
    row = await conn.fetchrow(
        f"SELECT {_COLUMNS} FROM channels WHERE id = $1 AND deleted_at IS NULL", channel_id
    )
    return _channel(row) if row else None


async def page(
    conn: Any, limit: int, after: tuple[datetime, uuid.UUID] | None
) -> Page[ChannelView]:
    """One page in creation order, and the key to continue after it (None at the end)."""
    rows = await conn.fetch(
        f"SELECT {_COLUMNS} FROM channels WHERE deleted_at IS NULL"
        " AND ($2::timestamptz IS NULL OR (created_at, id) > ($2, $3::uuid))"
        " ORDER BY created_at, id LIMIT $1",
        limit + 1,
        *(after or (None, None)),
    )
    more = len(rows) > limit
    rows = rows[:limit]
    last = (rows[-1]["created_at"], rows[-1]["id"]) if more else None
    return Page([_channel(r) for r in rows], last)


async def soft_delete(conn: Any, channel_id: uuid.UUID) -> bool:
    """The row stays for the names of past deliveries; its config and secrets go."""
    found = await conn.fetchval(
        "UPDATE channels SET deleted_at = now(), config = '{}'::jsonb"
        " WHERE id = $1 AND deleted_at IS NULL RETURNING 1",
        channel_id,
    )
    return found is not None


async def unknown(conn: Any, ids: list[str]) -> list[str]:
    """The ids among `ids` that name no live channel (malformed ones included)."""
    wanted: dict[str, uuid.UUID] = {}
    bad: list[str] = []
    for raw in ids:
        try:
            wanted[raw] = uuid.UUID(raw)
        except ValueError:
            bad.append(raw)
    if not wanted:
        return bad
    found = await conn.fetch(
        "SELECT id FROM channels WHERE id = ANY($1::uuid[]) AND deleted_at IS NULL",
        list(wanted.values()),
    )
    live = {r["id"] for r in found}
    return bad + [raw for raw, cid in wanted.items() if cid not in live]
