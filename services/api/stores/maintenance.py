"""Maintenance windows in Postgres; deletes are soft. The notifier reads live windows
through shared.maintenance.Windows."""

from __future__ import annotations

import uuid
from typing import Any

import asyncpg

from services.api.schemas import MaintenanceCreate, MaintenanceView
from shared import maintenance
from shared.events import utcnow

_COLUMNS = (
    "id::text AS id, name, monitor_ids::text[] AS monitor_ids, tags, starts_at, ends_at, cron,"
    " duration_s, timezone, created_at"
)


def _view(row: asyncpg.Record) -> MaintenanceView:
    fields = dict(row)
    fields["monitor_ids"] = list(fields["monitor_ids"])
    fields["tags"] = list(fields["tags"])
    window = maintenance.Window(
        monitor_ids=frozenset(),
        tags=frozenset(),
        starts_at=row["starts_at"],
        ends_at=row["ends_at"],
        cron=row["cron"],
        duration_s=row["duration_s"],
        timezone=row["timezone"],
    )
    now = utcnow()
    # A window stored before today's rules (or by hand) may not work: it is listed, marked,
    # and can be deleted, but never breaks the list.
    problem = window.problem(now)
    active = problem is None and window.active(now)
    return MaintenanceView(**fields, active_now=active, valid=problem is None, problem=problem)


async def insert(
    conn: Any, body: MaintenanceCreate, monitor_ids: list[uuid.UUID]
) -> MaintenanceView:
    """Store a window already validated (services/api/routes/maintenance.py)."""
    row = await conn.fetchrow(
        "INSERT INTO maintenance_windows (id, name, monitor_ids, tags, starts_at, ends_at, cron,"
        f" duration_s, timezone) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING {_COLUMNS}",
        uuid.uuid4(),
        body.name,
        monitor_ids,
        body.tags,
        body.starts_at,
        body.ends_at,
        body.cron,
        body.duration_s,
        body.timezone,
    )
    return _view(row)


async def live(conn: Any) -> list[MaintenanceView]:
    rows = await conn.fetch(
        f"SELECT {_COLUMNS} FROM maintenance_windows WHERE deleted_at IS NULL ORDER BY created_at"
    )
    return [_view(r) for r in rows]


async def soft_delete(conn: Any, window_id: uuid.UUID) -> bool:
    done = await conn.execute(
        "UPDATE maintenance_windows SET deleted_at = now() WHERE id = $1 AND deleted_at IS NULL",
        window_id,
    )
    return not done.endswith(" 0")
