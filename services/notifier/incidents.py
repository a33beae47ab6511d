"""Applies check results to monitor_state in Postgres, one transaction per batch,
opening and resolving incidents and writing their events to the outbox in the
same transaction.

Each region has its own threshold state; the monitor is DOWN when a quorum of
its regions is. Duplicate and older results (per region) change nothing.
"""

from __future__ import annotations

import uuid
from dataclasses import asdict
from datetime import datetime, timedelta

import asyncpg
import msgspec

from services.notifier.state import State, apply, overall, quorum
from shared import outbox, topology
from shared.events import (
    CheckResult,
    IncidentOpened,
    IncidentRef,
    IncidentResolved,
    MonitorRef,
    MonitorStateChanged,
    ResultRef,
)
from shared.maintenance import Window, in_maintenance
from shared.monitors import Monitor


class _Row(msgspec.Struct):
    status: str
    since: datetime | None
    regions: dict[str, State]
    applied: dict[str, str]
    last_checked_at: datetime | None
    last_result: dict | None
    open_incident_id: str | None
    failing: bool = False
    dirty: bool = False


async def apply_batch(
    conn: asyncpg.Connection, results: list[CheckResult], windows: list[Window] = ()
) -> None:
    monitors: dict[str, Monitor | None] = {}
    rows: dict[str, _Row] = {}
    for r in results:
        if r.monitor_id not in monitors:
            monitors[r.monitor_id] = await _load_monitor(conn, r.monitor_id)
        monitor = monitors[r.monitor_id]
        if monitor is None:
            continue  # deleted since the check ran
        if r.monitor_id not in rows:
            rows[r.monitor_id] = await _lock_state(conn, r.monitor_id)
        quiet = in_maintenance(list(windows), monitor, r.checked_at)
        await _apply_one(conn, monitor, rows[r.monitor_id], r, quiet)
    for monitor_id, row in rows.items():
        if row.dirty:
            await _save_state(conn, monitor_id, row)


async def _apply_one(
    conn: asyncpg.Connection, m: Monitor, row: _Row, r: CheckResult, quiet: bool
) -> None:
    stamp = r.scheduled_at.isoformat()
    last = row.applied.get(r.region)
    if last is not None and last >= stamp:
        return
    row.applied[r.region] = stamp
    row.dirty = True
    row.last_checked_at = max(filter(None, [row.last_checked_at, r.checked_at]))
    row.last_result = msgspec.to_builtins(_result_ref(r))
    if m.paused or r.region not in m.regions:
        return
    row.regions[r.region], _ = apply(
        row.regions.get(r.region, State()),
        r.status,
        r.checked_at,
        m.failure_threshold,
        m.success_threshold,
        immediate=r.details.get("explicit") is True,
    )
    status, down = overall(row.regions, m.regions, quorum(len(m.regions), m.quorum))
    await _announce_state(conn, m, row, status)
    if quiet:
        _set_status(row, "maintenance", r.checked_at)
        return
    if status == "down" and row.status != "down" and row.open_incident_id is None:
        row.open_incident_id = await _open_incident(conn, m, r, down)
    elif status != "down" and row.open_incident_id is not None:
        await _resolve_incident(conn, m, r, row.open_incident_id)
        row.open_incident_id = None
    _set_status(row, status, r.checked_at)


async def _announce_state(conn: asyncpg.Connection, m: Monitor, row: _Row, status: str) -> None:
    """Tell the scheduler when the monitor starts or stops failing short of DOWN."""
    failing = status != "down" and any(s.consecutive_failures for s in row.regions.values())
    if failing == row.failing and status == row.status:
        return
    row.failing = failing
    event = MonitorStateChanged(monitor_id=m.id, status=status, failing=failing)
    await outbox.enqueue(conn, topology.incident_subject("state", m.id), event)


def _set_status(row: _Row, status: str, at: datetime) -> None:
    if row.status != status:
        row.status, row.since = status, at


def _monitor_ref(m: Monitor) -> MonitorRef:
    return MonitorRef(id=m.id, name=m.name, kind=m.kind, target=m.target)


def _result_ref(r: CheckResult) -> ResultRef:
    return ResultRef(
        status=r.status,
        error=r.error,
        http_status=r.http_status,
        latency_ms=r.latency_ms,
        region=r.region,
    )


async def _open_incident(
    conn: asyncpg.Connection, m: Monitor, r: CheckResult, regions: list[str]
) -> str:
    incident_id = str(uuid.uuid4())
    opened = r.checked_at
    remind = opened + timedelta(seconds=m.reminder_every_s) if m.reminder_every_s else None
    escalate = opened + timedelta(seconds=m.escalation.after_s) if m.escalation else None
    await conn.execute(
        "INSERT INTO incidents (id, monitor_id, status, cause, regions, first_result, opened_at,"
        " next_reminder_at, escalate_at) VALUES ($1, $2, 'open', $3, $4, $5, $6, $7, $8)",
        uuid.UUID(incident_id),
        uuid.UUID(m.id),
        r.error or f"check {r.status}",
        regions,
        msgspec.to_builtins(r),
        opened,
        remind,
        escalate,
    )
    event = IncidentOpened(
        monitor=_monitor_ref(m),
        incident=IncidentRef(id=incident_id, opened_at=opened, regions=regions),
        result=_result_ref(r),
        channel_ids=list(m.channel_ids),
    )
    await outbox.enqueue(conn, topology.incident_subject("opened", m.id), event)
    return incident_id


async def _resolve_incident(
    conn: asyncpg.Connection, m: Monitor, r: CheckResult, incident_id: str
) -> None:
    row = await conn.fetchrow(
        "UPDATE incidents SET status = 'resolved', resolved_at = $2, resolved_by = 'auto'"
        " WHERE id = $1 AND status <> 'resolved' RETURNING opened_at, regions",
        uuid.UUID(incident_id),
        r.checked_at,
    )
    if row is None:
        return  # resolved by hand already: no second notification
    event = IncidentResolved(
        monitor=_monitor_ref(m),
        incident=IncidentRef(
            id=incident_id,
            opened_at=row["opened_at"],
            resolved_at=r.checked_at,
            resolved_by="auto",
            regions=list(row["regions"]),
        ),
        result=_result_ref(r),
        channel_ids=list(m.channel_ids),
    )
    await outbox.enqueue(conn, topology.incident_subject("resolved", m.id), event)


async def _load_monitor(conn: asyncpg.Connection, monitor_id: str) -> Monitor | None:
    doc = await conn.fetchval(
        "SELECT doc FROM monitors WHERE id = $1 AND deleted_at IS NULL", uuid.UUID(monitor_id)
    )
    return None if doc is None else msgspec.convert(doc, Monitor)


async def _lock_state(conn: asyncpg.Connection, monitor_id: str) -> _Row:
    await conn.execute(
        "INSERT INTO monitor_state (monitor_id) VALUES ($1) ON CONFLICT DO NOTHING",
        uuid.UUID(monitor_id),
    )
    rec = await conn.fetchrow(
        "SELECT * FROM monitor_state WHERE monitor_id = $1 FOR UPDATE", uuid.UUID(monitor_id)
    )
    return _Row(
        status=rec["status"],
        since=rec["since"],
        regions={k: State(**_state_fields(v)) for k, v in rec["regions"].items()},
        applied=dict(rec["applied"]),
        last_checked_at=rec["last_checked_at"],
        last_result=rec["last_result"],
        open_incident_id=str(rec["open_incident_id"]) if rec["open_incident_id"] else None,
        failing=rec["failing"],
    )


def _state_fields(doc: dict) -> dict:
    since = doc.get("since")
    return {**doc, "since": datetime.fromisoformat(since) if since else None}


async def _save_state(conn: asyncpg.Connection, monitor_id: str, row: _Row) -> None:
    failures = max((s.consecutive_failures for s in row.regions.values()), default=0)
    successes = max((s.consecutive_successes for s in row.regions.values()), default=0)
    await conn.execute(
        "UPDATE monitor_state SET status = $2, since = coalesce($3, since),"
        " consecutive_failures = $4, consecutive_successes = $5, applied = $6, regions = $7,"
        " last_checked_at = $8, last_result = $9, open_incident_id = $10, failing = $11,"
        " updated_at = now() WHERE monitor_id = $1",
        uuid.UUID(monitor_id),
        row.status,
        row.since,
        failures,
        successes,
        row.applied,
        {k: msgspec.to_builtins(asdict(s)) for k, s in row.regions.items()},
        row.last_checked_at,
        row.last_result,
        uuid.UUID(row.open_incident_id) if row.open_incident_id else None,
        row.failing,
    )
