"""Every statement on the notifier's own tables: `monitor_state`, `incidents` and
`delivery_attempts`. The notifier is the only service that writes them; the api
reads incidents and deliveries for listing and asks the notifier for changes.

Rows travel as named structs; the positional parameters of a statement are bound
in one place, next to the statement.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

import asyncpg
import msgspec

from services.notifier.decide import OpenIncident, Opening, Tracked, result_summary
from services.notifier.state import State
from shared.events import CheckResult
from shared.monitors import Monitor


@dataclass
class StateRow:
    """A monitor_state row: what `decide` tracks, and the newest result applied."""

    tracked: Tracked
    last_checked_at: datetime | None = None
    # The newest result applied (a CheckResult) or, as read back, its stored summary.
    last_result: object = None
    dirty: bool = False


# -- monitors (the api's table, read only) ----------------------------------------


async def live_monitors(conn: asyncpg.Connection, ids: list[str]) -> dict[str, Monitor]:
    rows = await conn.fetch(
        "SELECT id::text, doc FROM monitors WHERE id = ANY($1::uuid[]) AND deleted_at IS NULL",
        ids,
    )
    return {r["id"]: msgspec.convert(r["doc"], Monitor) for r in rows}


async def monitor(conn: asyncpg.Connection, monitor_id: str) -> Monitor | None:
    """The monitor's last definition, deleted or not (a manual resolve still announces)."""
    doc = await conn.fetchval("SELECT doc FROM monitors WHERE id = $1", uuid.UUID(monitor_id))
    return msgspec.convert(doc, Monitor) if doc is not None else None


# -- monitor_state ----------------------------------------------------------------


async def lock_states(conn: asyncpg.Connection, ids: list[str]) -> dict[str, StateRow]:
    """The states of these monitors, created if new, locked for this transaction."""
    await conn.execute(
        "INSERT INTO monitor_state (monitor_id) SELECT unnest($1::uuid[]) ON CONFLICT DO NOTHING",
        ids,
    )
    # Locked in id order, so replicas locking overlapping batches cannot deadlock.
    recs = await conn.fetch(
        "SELECT *, monitor_id::text AS mid, open_incident_id::text AS incident_id"
        " FROM monitor_state WHERE monitor_id = ANY($1::uuid[]) ORDER BY monitor_id FOR UPDATE",
        ids,
    )
    incidents = await _open_incidents(conn, [r["incident_id"] for r in recs if r["incident_id"]])
    return {rec["mid"]: _state_row(rec, incidents) for rec in recs}


async def lock_state(conn: asyncpg.Connection, monitor_id: str) -> None:
    """Wait for any batch applying results to this monitor, and hold them off."""
    await conn.execute(
        "SELECT 1 FROM monitor_state WHERE monitor_id = $1 FOR UPDATE", uuid.UUID(monitor_id)
    )


async def _open_incidents(conn: asyncpg.Connection, ids: list[str]) -> dict[str, OpenIncident]:
    if not ids:
        return {}
    found = await conn.fetch(
        "SELECT id::text, opened_at, regions FROM incidents WHERE id = ANY($1::uuid[])", ids
    )
    return {
        f["id"]: OpenIncident(id=f["id"], opened_at=f["opened_at"], regions=tuple(f["regions"]))
        for f in found
    }


def _state_row(rec: asyncpg.Record, incidents: dict[str, OpenIncident]) -> StateRow:
    incident_id = rec["incident_id"]
    incident = incidents.get(incident_id, OpenIncident(incident_id, None)) if incident_id else None
    tracked = Tracked(
        status=rec["status"],
        since=rec["since"],
        regions={k: State(**_state_fields(v)) for k, v in rec["regions"].items()},
        applied=dict(rec["applied"]),
        failing=rec["failing"],
        incident=incident,
    )
    return StateRow(tracked, rec["last_checked_at"], rec["last_result"])


def _state_fields(doc: dict) -> dict:
    since = doc.get("since")
    return {**doc, "since": datetime.fromisoformat(since) if since else None}


async def save_states(conn: asyncpg.Connection, rows: dict[str, StateRow]) -> None:
    if not rows:
        return
    await conn.executemany(
        "UPDATE monitor_state SET status = $2, since = coalesce($3, since),"
        " consecutive_failures = $4, consecutive_successes = $5, applied = $6, regions = $7,"
        " last_checked_at = $8, last_result = $9, open_incident_id = $10, failing = $11,"
        " updated_at = now() WHERE monitor_id = $1",
        [_state_params(monitor_id, row) for monitor_id, row in rows.items()],
    )


def _state_params(monitor_id: str, row: StateRow) -> tuple:
    t = row.tracked
    last = row.last_result
    return (
        uuid.UUID(monitor_id),
        t.status,
        t.since,
        max((s.consecutive_failures for s in t.regions.values()), default=0),
        max((s.consecutive_successes for s in t.regions.values()), default=0),
        dict(t.applied),
        {k: msgspec.to_builtins(s) for k, s in t.regions.items()},
        row.last_checked_at,
        result_summary(last) if isinstance(last, CheckResult) else last,
        uuid.UUID(t.incident.id) if t.incident else None,
        t.failing,
    )


async def detach_incident(conn: asyncpg.Connection, incident_id: str) -> None:
    """A manually resolved incident is not resolved again (and announced twice) on recovery."""
    await conn.execute(
        "UPDATE monitor_state SET open_incident_id = NULL WHERE open_incident_id = $1",
        uuid.UUID(incident_id),
    )


# -- incidents --------------------------------------------------------------------


async def open_incidents(conn: asyncpg.Connection, openings: list[Opening]) -> None:
    if openings:
        await conn.executemany(
            "INSERT INTO incidents (id, monitor_id, status, cause, regions, first_result,"
            " opened_at, next_reminder_at, escalate_at)"
            " VALUES ($1, $2, 'open', $3, $4, $5, $6, $7, $8) ON CONFLICT (id) DO NOTHING",
            [_opening_params(o) for o in openings],
        )


def _opening_params(o: Opening) -> tuple:
    return (
        uuid.UUID(o.incident.id),
        uuid.UUID(o.monitor_id),
        o.cause,
        list(o.incident.regions),
        msgspec.to_builtins(o.first_result),
        o.incident.opened_at,
        o.remind_at,
        o.escalate_at,
    )


@dataclass(frozen=True)
class Resolution:
    incident_id: str
    at: datetime
    by: str = "auto"


async def resolve_incidents(conn: asyncpg.Connection, resolutions: list[Resolution]) -> None:
    if resolutions:
        await conn.executemany(
            "UPDATE incidents SET status = 'resolved', resolved_at = $2, resolved_by = $3"
            " WHERE id = $1 AND status <> 'resolved'",
            [(uuid.UUID(r.incident_id), r.at, r.by) for r in resolutions],
        )
