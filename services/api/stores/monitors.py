"""Monitors in Postgres. `doc` holds the Monitor struct as JSON, its secrets
sealed; `tags` and `paused` mirror it so lists can filter with indexes, and
`push_token_hash` (a sha256 of the push token) finds a heartbeat's monitor."""

from __future__ import annotations

import contextlib
import uuid
from datetime import datetime
from typing import Any

import asyncpg
import msgspec

from services.api.keys import digest
from services.api.problems import ApiError
from services.api.schemas import MonitorView
from services.api.stores import Page
from shared import secret_fields
from shared.analysis import Analysed
from shared.anomaly import AnomalySpec
from shared.monitors import FieldError, Monitor
from shared.sealing import MASK, Keyring

# A paused monitor shows `paused` whatever its last result was.
_STATUS = "CASE WHEN m.paused THEN 'paused' ELSE coalesce(s.status, 'pending') END"
_VIEW = (
    f"SELECT m.doc::text AS doc, {_STATUS} AS status, s.last_checked_at, m.created_at, m.id"
    " FROM monitors m LEFT JOIN monitor_state s ON s.monitor_id = m.id"
    " WHERE m.deleted_at IS NULL"
)
_doc_decoder = msgspec.json.Decoder(Monitor)


def _view(row: asyncpg.Record, public_url: str) -> MonitorView:
    """The stored monitor, secrets still sealed: services.api.monitor_secrets.present
    turns it into what the caller may see (and adds the push URL)."""
    monitor = _doc_decoder.decode(row["doc"])
    return MonitorView(
        **msgspec.structs.asdict(monitor),
        status=row["status"],
        last_checked_at=row["last_checked_at"],
    )


def _doc(monitor: Monitor) -> str:
    return msgspec.json.encode(monitor).decode()


def push_hash(monitor: Monitor, keyring: Keyring | None) -> str | None:
    if not monitor.push_token:
        return None
    if keyring is None:
        raise ValueError("a monitor with a push token is stored with the keyring that sealed it")
    return digest(keyring.open(monitor.push_token))


SLUG_INDEX = "monitors_heartbeat_slug"


@contextlib.asynccontextmanager
async def _slug_unique(monitor: Monitor):
    """The unique index refusing a heartbeat slug another live monitor has, as a 409
    naming the field; the caller's transaction rolls back with it."""
    try:
        yield
    except asyncpg.UniqueViolationError as exc:
        if exc.constraint_name != SLUG_INDEX:
            raise
        slug = monitor.heartbeat.slug if monitor.heartbeat else None
        raise ApiError(
            409,
            "Conflict",
            f"another heartbeat monitor has the slug {slug!r}",
            [FieldError("heartbeat.slug", "is taken")],
        ) from None


async def insert(
    conn: asyncpg.Connection, monitor: Monitor, keyring: Keyring | None = None
) -> None:
    async with _slug_unique(monitor):
        await _insert(conn, monitor, keyring)


async def _insert(conn, monitor: Monitor, keyring: Keyring | None) -> None:
    await conn.execute(
        "INSERT INTO monitors (id, version, doc, tags, paused, created_at, updated_at,"
        " push_token_hash) VALUES ($1, $2, $3::jsonb, $4, $5, $6, $7, $8)",
        monitor.id,
        monitor.version,
        _doc(monitor),
        monitor.tags,
        monitor.paused,
        monitor.created_at,
        monitor.updated_at,
        push_hash(monitor, keyring),
    )


async def save(conn: asyncpg.Connection, monitor: Monitor, keyring: Keyring) -> None:
    async with _slug_unique(monitor):
        await _save(conn, monitor, keyring)


async def _save(conn, monitor: Monitor, keyring: Keyring) -> None:
    await conn.execute(
        "UPDATE monitors SET version = $2, doc = $3::jsonb, tags = $4, paused = $5,"
        " updated_at = $6, push_token_hash = $7 WHERE id = $1",
        monitor.id,
        monitor.version,
        _doc(monitor),
        monitor.tags,
        monitor.paused,
        monitor.updated_at,
        push_hash(monitor, keyring),
    )


async def lock(conn: asyncpg.Connection, monitor_id: uuid.UUID) -> Monitor | None:
    """The live monitor, locked until the transaction ends so edits serialise."""
    doc = await conn.fetchval(
        "SELECT doc::text FROM monitors WHERE id = $1 AND deleted_at IS NULL FOR UPDATE",
        monitor_id,
    )
    return _doc_decoder.decode(doc) if doc else None


async def soft_delete(conn: asyncpg.Connection, monitor: Monitor, at: datetime) -> int:
    """Mark deleted and return the new version, which the MonitorDeleted event carries.
    The kept row is for history only: its secrets are dropped, even sealed."""
    scrubbed = secret_fields.map_monitor(monitor, lambda _, __: MASK)
    return await conn.fetchval(
        "UPDATE monitors SET deleted_at = $2, updated_at = $2, version = version + 1,"
        " doc = $3::jsonb, push_token_hash = NULL WHERE id = $1 RETURNING version",
        uuid.UUID(monitor.id),
        at,
        _doc(scrubbed),
    )


class Named(msgspec.Struct, frozen=True):
    id: str
    name: str


async def live_names(conn: Any) -> list[Named]:
    """Every live monitor's id and name; names are not unique, so several may share one."""
    rows = await conn.fetch(
        "SELECT id::text AS id, doc->>'name' AS name FROM monitors WHERE deleted_at IS NULL"
    )
    return [Named(id=r["id"], name=r["name"]) for r in rows]


async def exists(conn: Any, monitor_id: uuid.UUID) -> bool:
    return bool(
        await conn.fetchval(
            "SELECT 1 FROM monitors WHERE id = $1 AND deleted_at IS NULL", monitor_id
        )
    )


async def view(conn: Any, monitor_id: uuid.UUID, public_url: str) -> MonitorView | None:
    row = await conn.fetchrow(f"{_VIEW} AND m.id = $1", monitor_id)
    return _view(row, public_url) if row else None


async def by_push_token(conn: Any, token: str) -> Monitor | None:
    doc = await conn.fetchval(
        "SELECT doc::text FROM monitors WHERE push_token_hash = $1 AND deleted_at IS NULL",
        digest(token),
    )
    return _doc_decoder.decode(doc) if doc else None


async def page(
    conn: Any,
    *,
    public_url: str,
    limit: int,
    tag: str | None = None,
    status: str | None = None,
    after: tuple[datetime, uuid.UUID] | None = None,
) -> Page[MonitorView]:
    """One page in creation order, and the key to continue after it (None at the end)."""
    sql, args = [_VIEW], []
    if tag is not None:
        args.append([tag])
        sql.append(f"AND m.tags @> ${len(args)}::text[]")
    if status is not None:
        args.append(status)
        sql.append(f"AND {_STATUS} = ${len(args)}")
    if after is not None:
        args.extend(after)
        sql.append(f"AND (m.created_at, m.id) > (${len(args) - 1}, ${len(args)})")
    args.append(limit + 1)
    sql.append(f"ORDER BY m.created_at, m.id LIMIT ${len(args)}")
    rows = await conn.fetch(" ".join(sql), *args)
    more = len(rows) > limit
    rows = rows[:limit]
    last = (rows[-1]["created_at"], rows[-1]["id"]) if more else None
    return Page([_view(r, public_url) for r in rows], last)


async def analysed(conn: Any, monitor_id: uuid.UUID | None = None) -> list[Analysed]:
    """Live, unpaused monitors with anomaly detection on, as the analysis needs them."""
    rows = await conn.fetch(
        "SELECT id::text AS id, doc->>'name' AS name, (doc->'anomaly')::text AS anomaly"
        " FROM monitors WHERE deleted_at IS NULL AND NOT paused"
        " AND coalesce((doc->'anomaly'->>'enabled')::boolean, true)"
        " AND ($1::uuid IS NULL OR id = $1) ORDER BY created_at, id",
        monitor_id,
    )
    return [
        Analysed(
            id=r["id"],
            name=r["name"],
            spec=msgspec.json.decode(r["anomaly"], type=AnomalySpec)
            if r["anomaly"] and r["anomaly"] != "null"
            else AnomalySpec(),
        )
        for r in rows
    ]
