"""Incidents as the notifier records them; the api only reads them (changes are
commands to the notifier, see routes/incidents.py)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import asyncpg
import msgspec

from services.api.schemas import IncidentView
from services.api.stores import Page

_SELECT = (
    "SELECT id, id::text AS id_text, monitor_id::text AS monitor_id, status, cause, regions,"
    " first_result::text AS first_result, opened_at, acknowledged_at, acknowledged_by,"
    " resolved_at, resolved_by, kind, metric, details::text AS details FROM incidents"
)


def _incident(row: asyncpg.Record) -> IncidentView:
    fields = dict(row)
    fields["id"] = fields.pop("id_text")
    fields["regions"] = list(fields["regions"])
    raw = fields["first_result"]
    fields["first_result"] = msgspec.json.decode(raw) if raw else None
    details = fields["details"]
    fields["details"] = msgspec.json.decode(details) if details else None
    end = fields["resolved_at"] or datetime.now(UTC)
    fields["duration_s"] = round((end - fields["opened_at"]).total_seconds(), 3)
    return IncidentView(**fields)


async def get(conn: Any, incident_id: uuid.UUID) -> IncidentView | None:
    row = await conn.fetchrow(f"{_SELECT} WHERE id = $1", incident_id)
    return _incident(row) if row else None


async def deliveries(conn: Any, incident_id: uuid.UUID) -> list[dict]:
    rows = await conn.fetch(
        "SELECT delivery_id::text, channel_id::text, event, attempt, outcome, status_code,"
        " error, at FROM delivery_attempts WHERE incident_id = $1 ORDER BY at, id",
        incident_id,
    )
    return [dict(r) for r in rows]


async def page(
    conn: Any,
    *,
    limit: int,
    status: str | None,
    monitor_id: uuid.UUID | None,
    before: tuple[datetime, uuid.UUID] | None,
) -> Page[IncidentView]:
    """Newest first, and the key to continue after this page (None at the end)."""
    rows = await conn.fetch(
        f"{_SELECT} WHERE ($2::text IS NULL OR status = $2)"
        " AND ($3::uuid IS NULL OR monitor_id = $3)"
        " AND ($4::timestamptz IS NULL OR (opened_at, id) < ($4, $5::uuid))"
        " ORDER BY opened_at DESC, id DESC LIMIT $1",
        limit + 1,
        status,
        monitor_id,
        *(before or (None, None)),
    )
    more = len(rows) > limit
    rows = rows[:limit]
    last = (rows[-1]["opened_at"], rows[-1]["id_text"]) if more else None
    return Page([_incident(r) for r in rows], last)
