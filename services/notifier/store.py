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
        "SELECT id::text, doc FROM monitor_definitions"
        " WHERE id = ANY($1::uuid[]) AND deleted_at IS NULL",
        ids,
    )
    return {r["id"]: msgspec.convert(r["doc"], Monitor) for r in rows}


async def monitor(conn: asyncpg.Connection, monitor_id: str) -> Monitor | None:
    """The monitor's last definition, deleted or not (a manual resolve still announces)."""
    query = "SELECT doc FROM monitor_definitions WHERE id = $1"
    doc = await conn.fetchval(query, uuid.UUID(monitor_id))
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


@dataclass(frozen=True)
class IncidentRow:
    """What a manual change needs of an incident."""

    id: str
    monitor_id: str
    status: str
    kind: str
    opened_at: datetime
    regions: tuple[str, ...]


async def incident_monitor(conn: asyncpg.Connection, incident_id: str) -> str | None:
    return await conn.fetchval(
        "SELECT monitor_id::text FROM incidents WHERE id = $1", uuid.UUID(incident_id)
    )


async def lock_incident(conn: asyncpg.Connection, incident_id: str) -> IncidentRow | None:
    rec = await conn.fetchrow(
        "SELECT id::text, monitor_id::text, status, kind, opened_at, regions FROM incidents"
        " WHERE id = $1 FOR UPDATE",
        uuid.UUID(incident_id),
    )
    if rec is None:
        return None
    return IncidentRow(**{**dict(rec), "regions": tuple(rec["regions"])})


async def acknowledge(conn: asyncpg.Connection, incident_id: str, by: str) -> None:
    await conn.execute(
        "UPDATE incidents SET status = 'acknowledged', acknowledged_at = now(),"
        " acknowledged_by = $2 WHERE id = $1 AND status = 'open'",
        uuid.UUID(incident_id),
        by,
    )


async def resolve_by_hand(conn: asyncpg.Connection, incident_id: str, by: str) -> datetime:
    """Resolved now, by `by`; returns when."""
    return await conn.fetchval(
        "UPDATE incidents SET status = 'resolved', resolved_at = now(), resolved_by = $2"
        " WHERE id = $1 RETURNING resolved_at",
        uuid.UUID(incident_id),
        by,
    )


# -- the sweeper's deadlines ------------------------------------------------------

SWEEP_BATCH = 100


@dataclass(frozen=True)
class DueIncident:
    """An incident whose reminder or escalation is due, with its monitor."""

    id: uuid.UUID
    monitor: Monitor
    opened_at: datetime
    regions: tuple[str, ...]
    next_reminder_at: datetime | None
    reminders_sent: int


_DUE = {
    "reminder": "i.status <> 'resolved' AND i.next_reminder_at <= $1",
    "escalation": "i.status = 'open' AND i.escalated_at IS NULL AND i.escalate_at <= $1",
}


async def due(conn: asyncpg.Connection, deadline: str, now: datetime) -> list[DueIncident]:
    """Claimed with SKIP LOCKED, so notifier replicas sweep side by side."""
    rows = await conn.fetch(
        "SELECT i.id, i.opened_at, i.regions, i.next_reminder_at, i.reminders_sent, m.doc"
        " FROM incidents i JOIN monitor_definitions m ON m.id = i.monitor_id"
        f" WHERE {_DUE[deadline]} ORDER BY i.opened_at LIMIT {SWEEP_BATCH}"
        " FOR UPDATE OF i SKIP LOCKED",
        now,
    )
    return [
        DueIncident(
            id=r["id"],
            monitor=msgspec.convert(r["doc"], Monitor),
            opened_at=r["opened_at"],
            regions=tuple(r["regions"]),
            next_reminder_at=r["next_reminder_at"],
            reminders_sent=r["reminders_sent"],
        )
        for r in rows
    ]


async def next_reminder(
    conn: asyncpg.Connection, incident_id: uuid.UUID, at: datetime | None, sent: bool
) -> None:
    """The next reminder is due `at` (None: never), counting the one just sent."""
    await conn.execute(
        "UPDATE incidents SET next_reminder_at = $2, reminders_sent = reminders_sent + $3"
        " WHERE id = $1",
        incident_id,
        at,
        1 if sent else 0,
    )


async def escalated(conn: asyncpg.Connection, incident_id: uuid.UUID, at: datetime) -> None:
    await conn.execute("UPDATE incidents SET escalated_at = $2 WHERE id = $1", incident_id, at)


# -- channels (the api's table, read only) and delivery attempts ------------------


@dataclass(frozen=True)
class Channel:
    kind: str
    config: dict


async def channel_kinds(pool: asyncpg.Pool, ids: list[str]) -> dict[str, str]:
    """Id -> kind of the live channels among `ids`."""
    rows = await pool.fetch(
        "SELECT id::text, kind FROM channel_definitions"
        " WHERE id = ANY($1::uuid[]) AND deleted_at IS NULL",
        ids,
    )
    return {r["id"]: r["kind"] for r in rows}


async def channel(pool: asyncpg.Pool, channel_id: str) -> Channel | None:
    row = await pool.fetchrow(
        "SELECT kind, config FROM channel_definitions WHERE id = $1 AND deleted_at IS NULL",
        uuid.UUID(channel_id),
    )
    return Channel(row["kind"], row["config"]) if row else None


async def delivered(pool: asyncpg.Pool, delivery_id: str) -> bool:
    return bool(
        await pool.fetchval(
            "SELECT true FROM delivery_attempts WHERE delivery_id = $1"
            " AND outcome = 'delivered' LIMIT 1",
            uuid.UUID(delivery_id),
        )
    )


@dataclass(frozen=True)
class Attempt:
    delivery_id: str
    channel_id: str
    incident_id: str | None
    event: str
    attempt: int
    outcome: str
    status_code: int | None
    error: str | None


async def record_attempt(pool: asyncpg.Pool, a: Attempt) -> None:
    await pool.execute(
        "INSERT INTO delivery_attempts (delivery_id, channel_id, incident_id, event,"
        " attempt, outcome, status_code, error) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        uuid.UUID(a.delivery_id),
        uuid.UUID(a.channel_id),
        uuid.UUID(a.incident_id) if a.incident_id else None,
        a.event,
        a.attempt,
        a.outcome,
        a.status_code,
        a.error,
    )


# -- anomaly incidents (judged by anomalies.py) ------------------------------------


@dataclass(frozen=True)
class AnomalyRow:
    id: str
    monitor_id: str
    region: str
    metric: str
    opened_at: datetime
    # The AnomalyRef it opened with, as JSON.
    details: str


async def open_anomalies(conn: asyncpg.Connection) -> list[AnomalyRow]:
    rows = await conn.fetch(
        "SELECT id::text, monitor_id::text, regions[1] AS region, metric, opened_at,"
        " details::text FROM incidents WHERE kind = 'anomaly' AND status <> 'resolved'"
    )
    return [AnomalyRow(**dict(r)) for r in rows]


async def open_anomaly(conn: asyncpg.Connection, row: AnomalyRow, cause: str) -> bool:
    """False when one is open already for its monitor, region and metric."""
    inserted = await conn.fetchval(
        "INSERT INTO incidents (id, monitor_id, status, cause, regions, opened_at, kind,"
        " metric, details) VALUES ($1, $2, 'open', $3, $4, $5, 'anomaly', $6, $7::jsonb)"
        " ON CONFLICT DO NOTHING RETURNING id",
        uuid.UUID(row.id),
        uuid.UUID(row.monitor_id),
        cause,
        [row.region],
        row.opened_at,
        row.metric,
        row.details,
    )
    return inserted is not None


async def resolve_anomaly(conn: asyncpg.Connection, incident_id: str, at: datetime) -> bool:
    """False when it was resolved already (by hand, or by another pass)."""
    updated = await conn.fetchval(
        "UPDATE incidents SET status = 'resolved', resolved_at = $2, resolved_by = 'auto'"
        " WHERE id = $1 AND status <> 'resolved' RETURNING id",
        uuid.UUID(incident_id),
        at,
    )
    return updated is not None
